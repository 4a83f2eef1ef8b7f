/**
 * What every `phm` program shares: the commander setup, option-value parsing errors as usage errors,
 * and the one place errors become exit codes (core's exitCodeFor): 1 internal, 2 usage, 3 invalid
 * input data, 4 not found, 5 conflict, 6 access. Light on purpose: `phm stats` starts from here
 * without loading the database, the server or the generator.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { exitCodeFor, isUserError } from '@openphm/core/errors';
import type { CliIo } from './io.js';

/** An option's value parser whose UserErrors are reported by commander as invalid arguments (exit 2). */
export const optionParser =
  <T>(parse: (v: string) => T) =>
  (value: string): T => {
    try {
      return parse(value);
    } catch (error) {
      if (isUserError(error)) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };

/** A `phm` program writing to `io`, throwing instead of exiting. */
export const newProgram = (io: CliIo): Command =>
  new Command('phm')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');

/** Runs a program and returns the process exit code (never throws). */
export const runProgram = async (program: Command, argv: readonly string[], io: CliIo): Promise<number> => {
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    if (isUserError(error)) {
      io.stderr.write(`error: ${error.message}\n`);
      return exitCodeFor(error);
    }
    io.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return exitCodeFor(error);
  }
};
