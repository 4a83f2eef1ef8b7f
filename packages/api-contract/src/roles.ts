/** Roles as the API names them (core's ROLES). */
import { z } from 'zod';
import { ACCOUNT_ROLES, ROLES } from '@openphm/core';

export const RoleSchema = z.enum(ROLES);

export const AccountRoleSchema = z.enum(ACCOUNT_ROLES);
