/*
 * taxonomy/esco_changes.h - what an import changed, concept by concept.
 *
 * Before and after writing a package, the importer takes a snapshot: for
 * every concept, one 64-bit fingerprint per field (preferred, alternative and
 * hidden labels, each note kind, code, skill type, reuse level, status,
 * modified date, ISCO group, regulated-profession note, scheme memberships,
 * essential/optional skills, related skills, broader concepts).  A field's
 * fingerprint is the sum of sh_hash64 over its rows, so it does not depend on
 * the order SQLite returns them in.  Comparing the two snapshots gives the
 * concepts added, removed (status turned 'obsolete') and changed, with the
 * names of the fields that differ.
 */
#ifndef SH_TAXONOMY_ESCO_CHANGES_H
#define SH_TAXONOMY_ESCO_CHANGES_H

#include <stdint.h>

#include "store/db.h"

typedef struct esco_snapshot {
	struct concept_fingerprint *fp; /* indexed by concept.id */
	size_t n;
} esco_snapshot;

int  esco_snapshot_take(sh_db *db, esco_snapshot *s);
void esco_snapshot_free(esco_snapshot *s);

typedef struct esco_change_counts {
	int64_t added, changed, removed;
	int64_t silent; /* new concepts created obsolete (stubs): stored, not listed */
} esco_change_counts;

/* Compares the snapshots; when taxonomy_id > 0 also inserts one
 * concept_change row per concept added, removed or changed. */
int esco_changes_compare(sh_db *db, const esco_snapshot *before, const esco_snapshot *after,
                         int64_t taxonomy_id, esco_change_counts *counts);

#endif
