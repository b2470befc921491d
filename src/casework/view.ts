// The case-work fields of a return as API answers show them (added to every return view).

import type { ReturnRow } from '../returns/store.js';

export function caseworkView(r: ReturnRow) {
  return {
    subjectId: r.subject_id ?? null,
    subSubjectId: r.sub_subject_id ?? null,
    situation: r.situation ?? null,
    priority: r.priority ?? null,
    productId: r.product_id ?? null,
    clonedFrom: r.cloned_from ?? null,
  };
}
