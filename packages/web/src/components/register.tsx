/**
 * A register: a list of versioned records that the people responsible change row by row (the action
 * plan, the risk register, a team's caseload, referrals). One table layout, one add-and-download
 * toolbar, one Update button per row, and one way to meet a stale edit: the server refuses it (409),
 * the page says so and offers to reload.
 */
import { useState, type ReactNode } from 'react';
import type { CsvCell } from '../export.js';
import { fmtDate } from '../format.js';
import { CsvButton, TableHead, Toolbar, useLoad, type Heading, type Loaded } from './common.js';
import { ConflictNotice } from './delivery.js';

/** A column of a register: its heading and what each row shows in it. */
export interface Column<T> {
  readonly heading: string;
  readonly cell: (row: T) => ReactNode;
  /** The cell that names the row (a row header for screen readers). */
  readonly header?: boolean;
  /** A column of numbers: right-aligned. */
  readonly num?: boolean;
}

/** A register's table; columns given as false (not for this role) are left out. */
export const RegisterTable = <T,>({
  testId,
  caption,
  columns,
  rows,
  rowKey,
  rowTestId,
  rowClass,
}: {
  testId: string;
  caption: ReactNode;
  columns: readonly (Column<T> | false)[];
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  rowTestId: (row: T) => string;
  rowClass?: (row: T) => string | undefined;
}) => {
  const shown = columns.filter((c): c is Column<T> => c !== false);
  return (
    <div className="table-scroll">
      <table data-testid={testId}>
        <caption>{caption}</caption>
        <TableHead columns={shown.map((c): Heading => (c.num ? { label: c.heading, num: true } : c.heading))} />
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)} data-testid={rowTestId(r)} className={rowClass?.(r)}>
              {shown.map((c) =>
                c.header ? (
                  <th key={c.heading} scope="row">
                    {c.cell(r)}
                  </th>
                ) : (
                  <td key={c.heading} className={c.num ? 'num' : undefined}>
                    {c.cell(r)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

/** A record's Update button, named after the record for screen readers. */
export const UpdateButton = ({ title, onClick }: { title: string; onClick: () => void }) => (
  <button type="button" className="secondary small" onClick={onClick} aria-label={`Update ${title}`}>
    Update
  </button>
);

/** Who last changed a versioned record, and when (the date when given): 'Version 3, programme@demo, 2026-03-05'. */
export const VersionNote = ({ r }: { r: { readonly version: number; readonly updatedBy: string; readonly updatedAt?: string } }) => (
  <>
    Version {r.version}, {r.updatedBy}
    {r.updatedAt && <>, {r.updatedAt.slice(0, 10)}</>}
  </>
);

/** A badge for something late (an overdue action, a review due). */
export const OverdueBadge = ({ label }: { label: string }) => <span className="badge overdue">{label}</span>;

/** A due or review date, with a badge under it once it has passed. */
export const DueDate = ({ date, late, label }: { date: string; late: boolean; label: string }) => (
  <>
    {fmtDate(date)}
    {late && (
      <div>
        <OverdueBadge label={label} />
      </div>
    )}
  </>
);

/** Above a register: add a record (for those who may, while no form is open) and download the whole register. */
export const RegisterToolbar = ({ addLabel, onAdd, csv }: { addLabel: string; onAdd: (() => void) | false; csv: { filename: string; columns: readonly string[]; rows: () => readonly (readonly CsvCell[])[] } }) => (
  <Toolbar>
    {onAdd && (
      <button type="button" onClick={onAdd}>
        {addLabel}
      </button>
    )}
    <CsvButton filename={csv.filename} columns={csv.columns} rows={csv.rows} />
  </Toolbar>
);

/** Which form a register shows: a new record's, one record's (by id), or none. */
export type RegisterForm = 'new' | number | null;

/**
 * A register's state: the records (loaded again after every change), the open form, and the
 * message of a refused stale edit. `conflictNotice` shows that message with its reload button.
 */
export const useRegister = <T,>(key: string, load: () => Promise<T>): Loaded<T> & {
  refresh: () => void;
  saved: () => void;
  form: RegisterForm;
  setForm: (f: RegisterForm) => void;
  setConflict: (message: string | null) => void;
  conflictNotice: (reloadLabel: string) => ReactNode;
} => {
  const [reload, setReload] = useState(0);
  const [form, setForm] = useState<RegisterForm>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const list = useLoad(`${key}:${reload}`, load);
  const refresh = () => setReload((n) => n + 1);
  const conflictNotice = (reloadLabel: string) => conflict && <ConflictNotice message={conflict} reloadLabel={reloadLabel} onReload={() => (setConflict(null), setForm(null), refresh())} />;
  // After a save: the form closes and the register is loaded again, with the change.
  const saved = () => (setForm(null), refresh());
  return { ...list, refresh, saved, form, setForm, setConflict, conflictNotice };
};
