/**
 * A D1Database that counts its round trips (each statement run, each batch), the way Workers
 * count subrequests, so tests can hold code to the free plan's 50 per invocation.
 */
export interface Counter {
  n: number;
}

const real = new WeakMap<object, D1PreparedStatement>();

function countingStatement(statement: D1PreparedStatement, counter: Counter): D1PreparedStatement {
  const wrapped = {
    bind: (...values: unknown[]) => countingStatement(statement.bind(...values), counter),
    first: (column?: string) => {
      counter.n++;
      return column === undefined ? statement.first() : statement.first(column);
    },
    run: () => {
      counter.n++;
      return statement.run();
    },
    all: () => {
      counter.n++;
      return statement.all();
    },
    raw: (options?: { columnNames?: boolean }) => {
      counter.n++;
      // The overloads differ only in the tuple shape of the result; the caller's types apply.
      return statement.raw(options as { columnNames: true });
    },
  } as unknown as D1PreparedStatement;
  real.set(wrapped, statement);
  return wrapped;
}

export function countingDb(db: D1Database, counter: Counter): D1Database {
  return {
    prepare: (query: string) => countingStatement(db.prepare(query), counter),
    batch: (statements: D1PreparedStatement[]) => {
      counter.n++;
      return db.batch(statements.map((s) => real.get(s) ?? s));
    },
    exec: (query: string) => {
      counter.n++;
      return db.exec(query);
    },
    withSession: (...args: Parameters<D1Database['withSession']>) => db.withSession(...args),
    dump: () => db.dump(),
  } as D1Database;
}
