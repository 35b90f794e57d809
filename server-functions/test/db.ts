// Test helpers for the real database: a fresh copy of the migrated schema per
// test file, and a way to run statements as the roles RLS restricts.
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Sql, TransactionSql } from 'postgres';
import { connect } from '../local/stack/database.ts';

export interface TestDatabase {
  name: string;
  url: string;
  /** Superuser connection (the role migrations and server code run as). */
  sql: Sql;
  drop(): Promise<void>;
}

/** A new database on the test server, cloned from the migrated template, or empty. */
async function newDatabase(prefix: string, template: string | null): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `${prefix}${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = connect(adminUrl, 1);
  await admin.unsafe(template ? `create database ${name} template ${template}` : `create database ${name}`);
  await admin.end();
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const sql = connect(url, 4);
  return {
    name,
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      const a = connect(adminUrl, 1);
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export function freshDatabase(): Promise<TestDatabase> {
  return newDatabase('dtd_', inject('pgTemplate'));
}

export type Claims = Record<string, unknown> & { sub?: string; role?: string };

export const anonClaims: Claims = { role: 'anon' };
export function trainerClaims(userId: string): Claims {
  return { sub: userId, role: 'authenticated', app_metadata: { role: 'trainer' } };
}
export function operatorClaims(userId: string): Claims {
  return { sub: userId, role: 'authenticated', app_metadata: { role: 'operator' } };
}

/**
 * Runs `fn` inside a transaction as the Postgres role the claims name (as
 * PostgREST and our functions do), then rolls back so nothing leaks.
 */
export async function asRole<T>(sql: Sql, claims: Claims, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  const role = claims.role === 'anon' ? 'anon' : claims.role === 'service_role' ? 'service_role' : 'authenticated';
  let result: T | undefined;
  let failure: unknown;
  await sql
    .begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
      await tx.unsafe(`set local role ${role}`);
      try {
        result = await fn(tx);
      } catch (err) {
        failure = err;
      }
      throw new Rollback();
    })
    .catch((err) => {
      if (!(err instanceof Rollback)) throw err;
    });
  if (failure) throw failure;
  return result as T;
}

class Rollback extends Error {}

/**
 * An empty database (no shim, no migrations) on the same server, for tests
 * that build a database the way a hosted project would get it.
 */
export function emptyDatabase(): Promise<TestDatabase> {
  return newDatabase('dtd_empty_', null);
}

/**
 * Runs `fn` in a savepoint inside an asRole transaction and returns the
 * error message it failed with, or null when it succeeded, so one test can
 * check several refusals without the first one aborting the transaction.
 */
export async function failureOf(tx: TransactionSql, fn: (sp: TransactionSql) => Promise<unknown>): Promise<string | null> {
  try {
    await tx.savepoint(async (sp) => {
      await fn(sp);
    });
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Number of rows in a table (superuser view), for "wrote no row" assertions. */
export async function rowCount(sql: Sql, table: string): Promise<number> {
  const rows = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${table}`);
  return rows[0]!.n;
}
