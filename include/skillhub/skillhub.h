/*
 * skillhub/skillhub.h - the public API of libskillhub, in one include.
 *
 *   common.h  status codes, errors, version
 *   store.h   the SQLite database
 *   taxonomy.h taxonomy-wide figures; ESCO import and diff
 *   text.h    normalisation, tokens, stems, HTML to text
 *   index.h   the compiled index: concepts, relations, search
 *   extract.h skills and occupations in free text; job titles
 *   ads.h     job-ad language identification and near-duplicate detection
 *   intel.h   skills-demand aggregates, trends and reports
 *   catalogue.h training courses, providers, quality rules
 *   pathways.h skill profiles, gaps, course plans, transitions, workforce
 *
 * This service uses the ESCO classification of the European Commission.
 */
#ifndef SKILLHUB_H
#define SKILLHUB_H

#include "skillhub/common.h"
#include "skillhub/store.h"
#include "skillhub/taxonomy.h"
#include "skillhub/text.h"
#include "skillhub/index.h"
#include "skillhub/extract.h"
#include "skillhub/ads.h"
#include "skillhub/intel.h"
#include "skillhub/catalogue.h"
#include "skillhub/pathways.h"
#include "skillhub/auth.h"

#endif
