// What a trainer should search for to find their business (spec 2.5
// scenario 2: "Try searching for [criteria]"): its first age specialty and
// behaviour issue in its council. One expression for the search-help email
// and the investigation, over `b` (businesses) and `c` (councils) in scope.
import type { TransactionSql } from 'postgres';
import type { Sql } from '../db.ts';

/** Without specialties or issues the email says "your business name"; the operator's view names it. */
export const searchCriteria = (t: Sql | TransactionSql, whenEmpty: 'your business name' | 'the name') =>
  t`format('%s in %s', coalesce(nullif(concat_ws(' and ', b.age_specialties[1], b.behavior_issues[1]), ''),
                                ${whenEmpty === 'the name' ? t`b.name` : t`${whenEmpty}::text`}), c.name)`;
