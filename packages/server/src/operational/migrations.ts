/**
 * Versioned schema of the operational store. Each migration runs once, in a transaction, under an
 * advisory lock so that several servers starting at once against one PostgreSQL do not race.
 * Never edit a migration that has shipped: add a new one.
 */
import type { OperationalDb } from './types.js';

export const ROLES_IN_STORE = ['analyst', 'neighbourhood', 'admin', 'programme', 'board'] as const;

export const MIGRATIONS: readonly { readonly version: number; readonly description: string; readonly sql: string }[] = [
  {
    version: 1,
    description: 'users, sessions and the append-only audit log',
    sql: `
      CREATE TABLE app_user (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
        display_name text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('analyst', 'neighbourhood', 'admin')),
        neighbourhood_id text,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((role = 'neighbourhood') = (neighbourhood_id IS NOT NULL))
      );
      CREATE TABLE app_session (
        token_hash text PRIMARY KEY,
        user_id integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX app_session_expires ON app_session (expires_at);
      CREATE TABLE audit_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        user_id integer,
        user_email text,
        role text NOT NULL,
        action text NOT NULL,
        resource text,
        outcome text NOT NULL CHECK (outcome IN ('granted', 'denied', 'unauthenticated', 'not-found', 'failed')),
        status integer NOT NULL,
        ip text,
        detail text
      );
      CREATE INDEX audit_event_at ON audit_event (at);
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only';
      END
      $$;
      CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
    `,
  },
  {
    version: 2,
    description: 'delivery assurance: programme and board roles, strategy versions, manual measure values, actions and risks with their history',
    sql: `
      ALTER TABLE app_user DROP CONSTRAINT app_user_role_check;
      ALTER TABLE app_user ADD CONSTRAINT app_user_role_check CHECK (role IN ('analyst', 'neighbourhood', 'admin', 'programme', 'board'));
      CREATE FUNCTION history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
      END
      $$;
      CREATE TABLE strategy_version (
        strategy_id text NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        definition jsonb NOT NULL,
        source text NOT NULL,
        loaded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (strategy_id, version)
      );
      CREATE TABLE measure_value (
        strategy_id text NOT NULL,
        measure_id text NOT NULL,
        period_label text NOT NULL CHECK (length(period_label) BETWEEN 1 AND 40),
        period_end date NOT NULL,
        value double precision NOT NULL,
        note text NOT NULL DEFAULT '',
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (strategy_id, measure_id, period_label)
      );
      CREATE TABLE plan_action (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        strategy_id text NOT NULL,
        priority_id text NOT NULL,
        ambition_id text,
        title text NOT NULL,
        owner_group text NOT NULL,
        lead text NOT NULL,
        due_date date NOT NULL,
        rag text NOT NULL CHECK (rag IN ('green', 'amber', 'red')),
        status text NOT NULL CHECK (status IN ('open', 'complete', 'cancelled')),
        progress_note text NOT NULL DEFAULT '',
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_by text NOT NULL
      );
      CREATE INDEX plan_action_strategy ON plan_action (strategy_id);
      CREATE TABLE plan_action_history (
        action_id integer NOT NULL REFERENCES plan_action (id),
        version integer NOT NULL,
        snapshot jsonb NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        changed_by text NOT NULL,
        PRIMARY KEY (action_id, version)
      );
      CREATE TRIGGER plan_action_history_no_change BEFORE UPDATE OR DELETE ON plan_action_history
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
      CREATE TABLE plan_risk (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        strategy_id text NOT NULL,
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        owner text NOT NULL,
        likelihood integer NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
        impact integer NOT NULL CHECK (impact BETWEEN 1 AND 5),
        target_likelihood integer CHECK (target_likelihood BETWEEN 1 AND 5),
        target_impact integer CHECK (target_impact BETWEEN 1 AND 5),
        controls text NOT NULL DEFAULT '',
        mitigations text NOT NULL DEFAULT '',
        review_date date NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'closed')),
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_by text NOT NULL,
        CHECK ((target_likelihood IS NULL) = (target_impact IS NULL))
      );
      CREATE INDEX plan_risk_strategy ON plan_risk (strategy_id);
      CREATE TABLE plan_risk_history (
        risk_id integer NOT NULL REFERENCES plan_risk (id),
        version integer NOT NULL,
        snapshot jsonb NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        changed_by text NOT NULL,
        PRIMARY KEY (risk_id, version)
      );
      CREATE TRIGGER plan_risk_history_no_change BEFORE UPDATE OR DELETE ON plan_risk_history
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
    `,
  },
  {
    version: 3,
    description: 'joining up care: the directory of community services and social prescribing referrals, with their history',
    sql: `
      CREATE TABLE directory_service (
        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        entry jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'inactive')),
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_by text NOT NULL
      );
      CREATE TABLE directory_service_history (
        service_id text NOT NULL REFERENCES directory_service (id),
        version integer NOT NULL,
        snapshot jsonb NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        changed_by text NOT NULL,
        PRIMARY KEY (service_id, version)
      );
      CREATE TRIGGER directory_service_history_no_change BEFORE UPDATE OR DELETE ON directory_service_history
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
      CREATE TABLE referral (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        person_id bigint NOT NULL,
        neighbourhood_id text NOT NULL,
        service_id text NOT NULL REFERENCES directory_service (id),
        reason text NOT NULL CHECK (reason IN ('loneliness', 'long-term-condition', 'low-mood', 'carer-strain', 'money-housing', 'inactivity', 'weight', 'other')),
        status text NOT NULL CHECK (status IN ('referred', 'accepted', 'attending', 'completed', 'declined', 'did-not-attend', 'withdrawn')),
        wellbeing_before jsonb,
        wellbeing_after jsonb,
        referred_by text NOT NULL,
        referred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_by text NOT NULL
      );
      CREATE INDEX referral_neighbourhood ON referral (neighbourhood_id);
      CREATE INDEX referral_person ON referral (person_id);
      CREATE INDEX referral_service ON referral (service_id);
      CREATE TABLE referral_history (
        referral_id integer NOT NULL REFERENCES referral (id),
        version integer NOT NULL,
        snapshot jsonb NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        changed_by text NOT NULL,
        PRIMARY KEY (referral_id, version)
      );
      CREATE TRIGGER referral_history_no_change BEFORE UPDATE OR DELETE ON referral_history
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
    `,
  },
  {
    version: 4,
    description: 'personalised care and support plans and the neighbourhood team caseload, with their history',
    sql: `
      CREATE TABLE care_plan (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        person_id bigint NOT NULL,
        neighbourhood_id text NOT NULL,
        content jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'closed')),
        review_date date NOT NULL,
        consent_to_share boolean NOT NULL,
        created_by text NOT NULL,
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_by text NOT NULL
      );
      CREATE UNIQUE INDEX care_plan_one_active ON care_plan (person_id) WHERE status = 'active';
      CREATE TABLE care_plan_history (
        care_plan_id integer NOT NULL REFERENCES care_plan (id),
        version integer NOT NULL,
        snapshot jsonb NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        changed_by text NOT NULL,
        PRIMARY KEY (care_plan_id, version)
      );
      CREATE TRIGGER care_plan_history_no_change BEFORE UPDATE OR DELETE ON care_plan_history
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
      CREATE TABLE caseload_entry (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        person_id bigint NOT NULL,
        neighbourhood_id text NOT NULL,
        source text NOT NULL CHECK (source IN ('worklist', 'gp', 'hospital-discharge', 'social-care', 'self-or-family', 'other')),
        cohort_id text,
        key_worker text NOT NULL,
        next_review date NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'discharged')),
        outcome text CHECK (outcome IN ('goals-met', 'stable-self-managing', 'moved-to-other-service', 'declined', 'moved-away', 'died')),
        added_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_by text NOT NULL,
        CHECK ((status = 'discharged') = (outcome IS NOT NULL)),
        CHECK ((source = 'worklist') = (cohort_id IS NOT NULL))
      );
      CREATE UNIQUE INDEX caseload_one_active ON caseload_entry (person_id) WHERE status = 'active';
      CREATE INDEX caseload_neighbourhood ON caseload_entry (neighbourhood_id);
      CREATE TABLE caseload_history (
        caseload_entry_id integer NOT NULL REFERENCES caseload_entry (id),
        version integer NOT NULL,
        snapshot jsonb NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        changed_by text NOT NULL,
        PRIMARY KEY (caseload_entry_id, version)
      );
      CREATE TRIGGER caseload_history_no_change BEFORE UPDATE OR DELETE ON caseload_history
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
    `,
  },
  {
    version: 5,
    description: 'strategy versions made in the app (who and why); stored versions never change',
    sql: `
      ALTER TABLE strategy_version ADD COLUMN edited_by text;
      ALTER TABLE strategy_version ADD COLUMN reason text;
      ALTER TABLE strategy_version ADD CONSTRAINT strategy_version_edit CHECK ((edited_by IS NULL) = (reason IS NULL));
      CREATE TRIGGER strategy_version_no_change BEFORE UPDATE OR DELETE ON strategy_version
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
    `,
  },
  {
    version: 6,
    description: 'sign-in: single sign-on accounts, log-in throttling and lock-outs, TOTP, role grants approved by a second admin',
    sql: `
      ALTER TABLE app_user ALTER COLUMN password_hash DROP NOT NULL;
      ALTER TABLE app_user ADD COLUMN oidc_issuer text;
      ALTER TABLE app_user ADD COLUMN oidc_subject text;
      ALTER TABLE app_user ADD CONSTRAINT app_user_oidc UNIQUE (oidc_issuer, oidc_subject);
      ALTER TABLE app_user ADD CONSTRAINT app_user_sign_in CHECK ((oidc_subject IS NULL) = (password_hash IS NOT NULL) AND (oidc_subject IS NULL) = (oidc_issuer IS NULL));
      ALTER TABLE app_user ADD COLUMN totp_secret text;
      ALTER TABLE app_user ADD COLUMN totp_pending text;
      ALTER TABLE app_user ADD COLUMN totp_last_step bigint;
      CREATE TABLE login_throttle (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('account', 'address')),
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 254),
        failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
        last_failure_at timestamptz,
        locked_at timestamptz,
        UNIQUE (kind, key)
      );
      CREATE TABLE role_request (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('create', 'change-role')),
        user_id integer REFERENCES app_user (id),
        email text NOT NULL,
        display_name text NOT NULL,
        password_hash text,
        role text NOT NULL CHECK (role IN ('analyst', 'neighbourhood', 'admin', 'programme', 'board')),
        neighbourhood_id text,
        requested_by integer NOT NULL REFERENCES app_user (id),
        requested_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
        decided_by integer REFERENCES app_user (id),
        decided_at timestamptz,
        reason text,
        CHECK ((kind = 'create') = (user_id IS NULL)),
        CHECK ((role = 'neighbourhood') = (neighbourhood_id IS NOT NULL)),
        CHECK ((status = 'pending') = (decided_by IS NULL)),
        CHECK (status = 'withdrawn' OR decided_by IS NULL OR decided_by <> requested_by)
      );
      CREATE INDEX role_request_pending ON role_request (status, id);
    `,
  },
  {
    version: 7,
    description: 'a tamper-evident audit log: each row chained to the one before it by a SHA-256 hash (rows written before stay unchained)',
    sql: `
      ALTER TABLE audit_event ADD COLUMN prev_hash text;
      ALTER TABLE audit_event ADD COLUMN hash text;
      ALTER TABLE audit_event ADD CONSTRAINT audit_event_chain CHECK ((prev_hash IS NULL) = (hash IS NULL));
      CREATE INDEX audit_event_resource ON audit_event (resource, id);
    `,
  },
  {
    version: 8,
    description: 'the care zone: the directory services a care professional works for, and break-glass grants (append-only)',
    sql: `
      CREATE TABLE user_service (
        user_id integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        service_id text NOT NULL REFERENCES directory_service (id),
        added_by text NOT NULL,
        added_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (user_id, service_id)
      );
      CREATE INDEX user_service_service ON user_service (service_id);
      CREATE TABLE break_glass (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id integer NOT NULL REFERENCES app_user (id),
        user_email text NOT NULL,
        neighbourhood_id text,
        person_id bigint NOT NULL,
        reason text NOT NULL CHECK (length(reason) BETWEEN 10 AND 500),
        granted_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        CHECK (expires_at > granted_at)
      );
      CREATE INDEX break_glass_user_person ON break_glass (user_id, person_id, expires_at);
      CREATE INDEX break_glass_granted ON break_glass (granted_at);
      CREATE TRIGGER break_glass_no_change BEFORE UPDATE OR DELETE ON break_glass
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
    `,
  },
  {
    version: 9,
    description: 'a team that works together: tasks with their history, notes on a person, MDT meetings with agendas and outcomes, notifications, caseload reviews and key worker changes, referral decisions by the receiving service',
    sql: `
      CREATE TABLE care_task (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        person_id bigint NOT NULL,
        neighbourhood_id text NOT NULL,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        detail text NOT NULL DEFAULT '' CHECK (length(detail) <= 2000),
        assignee_id integer REFERENCES app_user (id),
        due_date date,
        status text NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
        source text NOT NULL CHECK (source IN ('worklist', 'plan-review', 'mdt', 'manual')),
        source_ref text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_by text NOT NULL,
        CHECK ((source = 'manual') = (source_ref IS NULL))
      );
      CREATE INDEX care_task_person ON care_task (person_id);
      CREATE INDEX care_task_assignee ON care_task (assignee_id, status);
      CREATE INDEX care_task_neighbourhood ON care_task (neighbourhood_id, status);
      CREATE TABLE care_task_history (
        care_task_id integer NOT NULL REFERENCES care_task (id),
        version integer NOT NULL,
        snapshot jsonb NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        changed_by text NOT NULL,
        PRIMARY KEY (care_task_id, version)
      );
      CREATE TRIGGER care_task_history_no_change BEFORE UPDATE OR DELETE ON care_task_history
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
      CREATE TABLE care_note (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        person_id bigint NOT NULL,
        neighbourhood_id text NOT NULL,
        author_id integer REFERENCES app_user (id),
        author text NOT NULL,
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
        corrects_id integer REFERENCES care_note (id),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX care_note_person ON care_note (person_id, id);
      CREATE TRIGGER care_note_no_change BEFORE UPDATE OR DELETE ON care_note
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
      CREATE TABLE mdt_meeting (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        neighbourhood_id text NOT NULL,
        meeting_date date NOT NULL,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX mdt_meeting_neighbourhood ON mdt_meeting (neighbourhood_id, meeting_date);
      CREATE TABLE mdt_agenda_item (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        meeting_id integer NOT NULL REFERENCES mdt_meeting (id),
        person_id bigint NOT NULL,
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        added_by text NOT NULL,
        added_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        outcome text CHECK (length(outcome) BETWEEN 1 AND 2000),
        outcome_by text,
        outcome_at timestamptz,
        UNIQUE (meeting_id, person_id),
        CHECK ((outcome IS NULL) = (outcome_by IS NULL) AND (outcome IS NULL) = (outcome_at IS NULL))
      );
      CREATE FUNCTION mdt_outcome_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR OLD.outcome IS NOT NULL OR NEW.meeting_id <> OLD.meeting_id OR NEW.person_id <> OLD.person_id OR NEW.reason <> OLD.reason THEN
          RAISE EXCEPTION 'an agenda item is kept as it was: only its outcome is recorded, once';
        END IF;
        RETURN NEW;
      END
      $$;
      CREATE TRIGGER mdt_agenda_item_outcome_once BEFORE UPDATE OR DELETE ON mdt_agenda_item
        FOR EACH ROW EXECUTE FUNCTION mdt_outcome_once();
      CREATE TABLE notification (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id integer NOT NULL REFERENCES app_user (id),
        kind text NOT NULL CHECK (kind IN ('task-assigned', 'referral-received', 'referral-decided', 'note-added', 'review-due')),
        summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 300),
        link text NOT NULL CHECK (link LIKE '#/%'),
        person_id bigint,
        once_key text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        read_at timestamptz,
        UNIQUE (user_id, once_key)
      );
      CREATE INDEX notification_user ON notification (user_id, id);
      CREATE TABLE caseload_review (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        caseload_entry_id integer NOT NULL REFERENCES caseload_entry (id),
        reviewed_on date NOT NULL,
        reviewed_by text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('continue', 'more-support', 'less-support', 'plan-discharge')),
        note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
        next_review date NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK (next_review > reviewed_on)
      );
      CREATE INDEX caseload_review_entry ON caseload_review (caseload_entry_id, id);
      CREATE TRIGGER caseload_review_no_change BEFORE UPDATE OR DELETE ON caseload_review
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
      ALTER TABLE caseload_entry ADD COLUMN key_worker_user_id integer REFERENCES app_user (id);
      CREATE INDEX caseload_key_worker_user ON caseload_entry (key_worker_user_id) WHERE status = 'active';
      CREATE TABLE caseload_key_worker_change (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        caseload_entry_id integer NOT NULL REFERENCES caseload_entry (id),
        from_key_worker text NOT NULL,
        to_key_worker text NOT NULL,
        to_user_id integer REFERENCES app_user (id),
        reason text NOT NULL CHECK (length(reason) BETWEEN 3 AND 500),
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX caseload_key_worker_change_entry ON caseload_key_worker_change (caseload_entry_id, id);
      CREATE TRIGGER caseload_key_worker_change_no_change BEFORE UPDATE OR DELETE ON caseload_key_worker_change
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
      CREATE TABLE referral_decision (
        referral_id integer PRIMARY KEY REFERENCES referral (id),
        decision text NOT NULL CHECK (decision IN ('accepted', 'declined')),
        reason text CHECK (reason IN ('not-eligible', 'no-capacity', 'person-declined', 'not-contactable', 'better-elsewhere', 'other')),
        note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
        decided_by text NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK ((decision = 'declined') = (reason IS NOT NULL))
      );
      CREATE TRIGGER referral_decision_no_change BEFORE UPDATE OR DELETE ON referral_decision
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
    `,
  },
  {
    version: 10,
    description: 'a record a clinician can read: advance care plans and end-of-life preferences as an EPaCCS record holds them (one a person, with their history), and alerts on a person (safeguarding, lone-worker risk, communication needs) with who raised them and when',
    sql: `
      CREATE TABLE advance_care_plan (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        person_id bigint NOT NULL UNIQUE,
        neighbourhood_id text NOT NULL,
        content jsonb NOT NULL,
        cpr_decision text NOT NULL CHECK (cpr_decision IN ('not-recorded', 'attempt-cpr', 'dnacpr')),
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_by text NOT NULL
      );
      CREATE TABLE advance_care_plan_history (
        advance_care_plan_id integer NOT NULL REFERENCES advance_care_plan (id),
        version integer NOT NULL,
        snapshot jsonb NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        changed_by text NOT NULL,
        PRIMARY KEY (advance_care_plan_id, version)
      );
      CREATE TRIGGER advance_care_plan_history_no_change BEFORE UPDATE OR DELETE ON advance_care_plan_history
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
      CREATE TABLE person_alert (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        person_id bigint NOT NULL,
        neighbourhood_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('safeguarding', 'lone-worker', 'communication', 'access', 'infection', 'other')),
        text text NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
        starts_on date NOT NULL,
        review_on date,
        status text NOT NULL CHECK (status IN ('active', 'ended')),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_by text NOT NULL,
        CHECK (review_on IS NULL OR review_on >= starts_on)
      );
      CREATE INDEX person_alert_person ON person_alert (person_id, id);
      CREATE TABLE person_alert_history (
        person_alert_id integer NOT NULL REFERENCES person_alert (id),
        version integer NOT NULL,
        snapshot jsonb NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        changed_by text NOT NULL,
        PRIMARY KEY (person_alert_id, version)
      );
      CREATE TRIGGER person_alert_history_no_change BEFORE UPDATE OR DELETE ON person_alert_history
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
    `,
  },  {
    version: 11,
    description: "a person's care plans found by person (the person summary asks on every view)",
    sql: `
      CREATE INDEX care_plan_person ON care_plan (person_id);
    `,
  },
  {
    version: 12,
    description: 'delivery: actions and risks name the measures they address (risks also their priority), and measure owners write commentary on their measures (append-only)',
    sql: `
      ALTER TABLE plan_action ADD COLUMN measure_ids jsonb NOT NULL DEFAULT '[]'::jsonb;
      ALTER TABLE plan_risk ADD COLUMN priority_id text;
      ALTER TABLE plan_risk ADD COLUMN measure_ids jsonb NOT NULL DEFAULT '[]'::jsonb;
      CREATE TABLE measure_commentary (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        strategy_id text NOT NULL,
        measure_id text NOT NULL,
        commentary text NOT NULL CHECK (length(commentary) BETWEEN 1 AND 4000),
        written_by text NOT NULL,
        written_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX measure_commentary_measure ON measure_commentary (strategy_id, measure_id, id);
      CREATE TRIGGER measure_commentary_no_change BEFORE UPDATE OR DELETE ON measure_commentary
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
    `,
  },
  {
    version: 13,
    description: 'benchmarks: sets of real published comparator values (England and others from OHID Fingertips), each replaced whole by its label',
    sql: `
      CREATE TABLE benchmark_set (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        label text NOT NULL UNIQUE CHECK (length(label) BETWEEN 1 AND 100),
        file text NOT NULL,
        imported_by text,
        imported_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE TABLE benchmark_value (
        set_id integer NOT NULL REFERENCES benchmark_set (id) ON DELETE CASCADE,
        indicator_id text CHECK (indicator_id ~ '^[0-9]{1,7}(/[0-9]{1,7})*$'),
        indicator_name text NOT NULL,
        area_code text NOT NULL,
        area_name text NOT NULL,
        sex text NOT NULL CHECK (sex IN ('Persons', 'Female', 'Male')),
        age text NOT NULL,
        period text NOT NULL CHECK (length(period) BETWEEN 1 AND 40),
        value double precision,
        lower95 double precision,
        upper95 double precision,
        count double precision CHECK (count >= 0),
        denominator double precision CHECK (denominator >= 0),
        unit text NOT NULL,
        source text NOT NULL
      );
      CREATE INDEX benchmark_value_area ON benchmark_value (area_code, set_id);
    `,
  },
  {
    version: 14,
    description: "saved cohorts: analysts' and teams' cohort definitions (id, owner, sharing), every version kept (append-only), archived rather than deleted",
    sql: `
      CREATE TABLE saved_cohort (
        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(id) <= 64),
        owner_id integer NOT NULL REFERENCES app_user (id),
        owner_email text NOT NULL,
        owner_team text NOT NULL,
        sharing text NOT NULL CHECK (sharing IN ('private', 'team', 'everyone')),
        latest_version integer NOT NULL CHECK (latest_version >= 1),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        archived_at timestamptz,
        archived_by text
      );
      CREATE INDEX saved_cohort_owner ON saved_cohort (owner_id);
      CREATE TABLE saved_cohort_version (
        cohort_id text NOT NULL REFERENCES saved_cohort (id),
        version integer NOT NULL CHECK (version >= 1),
        title text NOT NULL CHECK (length(title) BETWEEN 3 AND 200),
        description text NOT NULL CHECK (length(description) BETWEEN 3 AND 2000),
        definition jsonb NOT NULL,
        saved_by text NOT NULL,
        saved_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (cohort_id, version)
      );
      CREATE TRIGGER saved_cohort_version_no_change BEFORE UPDATE OR DELETE ON saved_cohort_version
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
    `,
  },
  {
    version: 15,
    description: "neighbourhood names: an admin's name for a neighbourhood in place of its PCN's (one row per renamed neighbourhood; none = the PCN's name)",
    sql: `
      CREATE TABLE neighbourhood_name (
        neighbourhood_id text PRIMARY KEY CHECK (length(neighbourhood_id) BETWEEN 1 AND 64),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100 AND name = btrim(name)),
        version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
    `,
  },
  {
    version: 16,
    description: 'delivery: a risk names the actions that address it (action_ids, jsonb)',
    sql: `
      ALTER TABLE plan_risk ADD COLUMN action_ids jsonb NOT NULL DEFAULT '[]'::jsonb;
    `,
  },
  {
    version: 17,
    description:
      "people a data load deleted (decision 0009): what was open about them closed by the server (caseload episodes discharged 'removed-from-data', care plans closed, referrals withdrawn, tasks cancelled, alerts ended), each person recorded once per data version (append-only)",
    sql: `
      ALTER TABLE caseload_entry DROP CONSTRAINT caseload_entry_outcome_check;
      ALTER TABLE caseload_entry ADD CONSTRAINT caseload_entry_outcome_check
        CHECK (outcome IN ('goals-met', 'stable-self-managing', 'moved-to-other-service', 'declined', 'moved-away', 'died', 'removed-from-data'));
      CREATE TABLE person_removal (
        build_id text NOT NULL CHECK (length(build_id) BETWEEN 1 AND 100),
        person_id bigint NOT NULL,
        closed jsonb NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (build_id, person_id)
      );
      CREATE INDEX person_removal_person ON person_removal (person_id);
      CREATE TRIGGER person_removal_no_change BEFORE UPDATE OR DELETE ON person_removal
        FOR EACH ROW EXECUTE FUNCTION history_append_only();
    `,
  },
];

/** Applies the migrations the store does not have yet (of `migrations`, default all); returns the versions applied. */
export const migrate = async (db: OperationalDb, migrations: readonly (typeof MIGRATIONS)[number][] = MIGRATIONS): Promise<number[]> => {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
    version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`openphm-migrate-${db.schema}`]);
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migration')).map((r) => r.version));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migration (version, description) VALUES ($1, $2)', [m.version, m.description]);
      applied.push(m.version);
    }
    return applied;
  });
};
