/*
 * store/migrations.c - the database schema, as numbered migrations.
 *
 * Never edit a migration that has shipped: add a new one with the next
 * number.  docs/data-model.md describes every table; keep the two in step.
 */
#include "store/db.h"

static const char migration_1_taxonomy[] =
	/* Key/value settings: taxonomy_generation (see sh_db_generation). */
	"CREATE TABLE meta("
	"  key   TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	") WITHOUT ROWID;"
	"INSERT INTO meta(key, value) VALUES('taxonomy_generation', '0');"

	/* One row per import run that changed something. */
	"CREATE TABLE taxonomy("
	"  id          INTEGER PRIMARY KEY,"
	"  name        TEXT NOT NULL,"              /* 'ESCO' */
	"  version     TEXT NOT NULL,"              /* '1.1.1' */
	"  imported_at TEXT NOT NULL,"              /* ISO 8601 UTC */
	"  sources     TEXT NOT NULL,"              /* imported directories, one per line */
	"  added       INTEGER NOT NULL DEFAULT 0,"
	"  changed     INTEGER NOT NULL DEFAULT 0,"
	"  removed     INTEGER NOT NULL DEFAULT 0"
	");"

	/* Every ESCO concept: skills (and knowledge), skill groups, occupations,
	 * ISCO groups, concept schemes and collections. */
	"CREATE TABLE concept("
	"  id             INTEGER PRIMARY KEY,"
	"  uri            TEXT NOT NULL UNIQUE,"
	"  kind           TEXT NOT NULL CHECK (kind IN"
	"                 ('skill','skill_group','occupation','isco_group','scheme')),"
	"  code           TEXT,"                    /* ISCO / skill-group / occupation code */
	"  skill_type     TEXT,"                    /* 'skill/competence' | 'knowledge' */
	"  reuse_level    TEXT,"                    /* 'transversal' | 'cross-sector' | 'sector-specific' | 'occupation-specific' */
	"  status         TEXT NOT NULL DEFAULT 'released'," /* 'obsolete' once a newer package drops it */
	"  modified       TEXT,"                    /* modifiedDate */
	"  isco_group     INTEGER REFERENCES concept(id)," /* occupations: ISCO unit group */
	"  regulated_note TEXT,"                    /* occupations: regulatedProfessionNote */
	"  collection_key TEXT UNIQUE"              /* schemes that are collections: 'digital', 'green', ... */
	");"
	"CREATE INDEX concept_by_kind ON concept(kind);"
	"CREATE INDEX concept_by_isco_group ON concept(isco_group);"

	"CREATE TABLE label("
	"  concept INTEGER NOT NULL REFERENCES concept(id) ON DELETE CASCADE,"
	"  lang    TEXT NOT NULL,"
	"  kind    TEXT NOT NULL CHECK (kind IN ('preferred','alternative','hidden')),"
	"  text    TEXT NOT NULL,"
	"  PRIMARY KEY (concept, lang, kind, text)"
	") WITHOUT ROWID;"
	"CREATE INDEX label_by_lang ON label(lang);"

	"CREATE TABLE note("
	"  concept INTEGER NOT NULL REFERENCES concept(id) ON DELETE CASCADE,"
	"  lang    TEXT NOT NULL,"
	"  kind    TEXT NOT NULL CHECK (kind IN ('description','definition','scope_note')),"
	"  text    TEXT NOT NULL,"
	"  PRIMARY KEY (concept, lang, kind)"
	") WITHOUT ROWID;"

	"CREATE TABLE occupation_skill("
	"  occupation INTEGER NOT NULL REFERENCES concept(id) ON DELETE CASCADE,"
	"  skill      INTEGER NOT NULL REFERENCES concept(id) ON DELETE CASCADE,"
	"  relation   TEXT NOT NULL CHECK (relation IN ('essential','optional')),"
	"  PRIMARY KEY (occupation, skill)"
	") WITHOUT ROWID;"
	"CREATE INDEX occupation_skill_by_skill ON occupation_skill(skill);"

	"CREATE TABLE skill_skill("
	"  skill    INTEGER NOT NULL REFERENCES concept(id) ON DELETE CASCADE,"
	"  related  INTEGER NOT NULL REFERENCES concept(id) ON DELETE CASCADE,"
	"  relation TEXT NOT NULL CHECK (relation IN ('essential','optional')),"
	"  PRIMARY KEY (skill, related)"
	") WITHOUT ROWID;"
	"CREATE INDEX skill_skill_by_related ON skill_skill(related);"

	/* broader/narrower in both pillars: concept is narrower than broader. */
	"CREATE TABLE broader("
	"  concept INTEGER NOT NULL REFERENCES concept(id) ON DELETE CASCADE,"
	"  broader INTEGER NOT NULL REFERENCES concept(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (concept, broader)"
	") WITHOUT ROWID;"
	"CREATE INDEX broader_by_broader ON broader(broader);"

	/* Membership of concept schemes (inScheme) and collections; top = hasTopConcept. */
	"CREATE TABLE scheme_member("
	"  scheme  INTEGER NOT NULL REFERENCES concept(id) ON DELETE CASCADE,"
	"  concept INTEGER NOT NULL REFERENCES concept(id) ON DELETE CASCADE,"
	"  top     INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (scheme, concept)"
	") WITHOUT ROWID;"
	"CREATE INDEX scheme_member_by_concept ON scheme_member(concept);"

	/* What each import run added, removed or changed (skillhub diff). */
	"CREATE TABLE concept_change("
	"  taxonomy INTEGER NOT NULL REFERENCES taxonomy(id) ON DELETE CASCADE,"
	"  concept  INTEGER NOT NULL REFERENCES concept(id) ON DELETE CASCADE,"
	"  change   TEXT NOT NULL CHECK (change IN ('added','removed','changed')),"
	"  detail   TEXT,"                          /* changed: which fields, comma separated */
	"  PRIMARY KEY (taxonomy, concept)"
	") WITHOUT ROWID;";

/*
 * Migration 2: job ads (skillhub ads ...).  Every ad keeps its raw record so
 * that it can be re-processed when the taxonomy or the engine improves; the
 * extracted fields, skills and occupation are derived and may be rewritten
 * by `ads reprocess`.  Concepts are referenced by concept.id (stable within a
 * database: concepts are never deleted); aggregates exchanged between
 * databases use URIs.
 */
static const char migration_2_ads[] =
	/* A named feed of ads ('nhs', 'eures', ...). */
	"CREATE TABLE ad_source("
	"  id   INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE"
	");"

	/* One row per input file of a source: resume point and idempotence. */
	"CREATE TABLE ad_file("
	"  id           INTEGER PRIMARY KEY,"
	"  source       INTEGER NOT NULL REFERENCES ad_source(id),"
	"  path         TEXT NOT NULL,"             /* as given on the command line */
	"  content_hash TEXT NOT NULL,"             /* hex hash of the file's bytes */
	"  records_done INTEGER NOT NULL DEFAULT 0," /* input records consumed so far */
	"  ads_added    INTEGER NOT NULL DEFAULT 0,"
	"  errors       INTEGER NOT NULL DEFAULT 0," /* malformed records (ad_error rows) */
	"  complete     INTEGER NOT NULL DEFAULT 0," /* 1 once the whole file was read */
	"  started_at   TEXT NOT NULL,"
	"  finished_at  TEXT,"
	"  UNIQUE (source, content_hash)"
	");"

	/* A malformed record: reported, counted, never silently dropped. */
	"CREATE TABLE ad_error("
	"  file   INTEGER NOT NULL REFERENCES ad_file(id) ON DELETE CASCADE,"
	"  line   INTEGER NOT NULL,"                /* 1-based line (CSV: the record's first line) */
	"  reason TEXT NOT NULL,"
	"  PRIMARY KEY (file, line)"
	") WITHOUT ROWID;"

	"CREATE TABLE ad("
	"  id           INTEGER PRIMARY KEY,"
	"  source       INTEGER NOT NULL REFERENCES ad_source(id),"
	"  source_id    TEXT,"                      /* the ad's id in its source, when it has one */
	"  record_hash  TEXT NOT NULL,"             /* hex hash of the raw record: re-ingest adds nothing */
	"  raw          TEXT NOT NULL,"             /* the record as read (JSON; a CSV row as a JSON object) */
	"  title        TEXT,"
	"  text         TEXT,"                      /* cleaned plain text (HTML stripped) */
	"  lang         TEXT,"                      /* detected ISO 639-1 code, 'und' when undetermined */
	"  posted       TEXT,"                      /* ISO 8601 date YYYY-MM-DD */
	"  country      TEXT,"                      /* ISO 3166-1 alpha-2 */
	"  region       TEXT,"                      /* NUTS code or the source's region name */
	"  employer     TEXT,"
	"  sector       TEXT,"                      /* NACE code or the source's sector name */
	"  contract     TEXT,"
	"  salary       TEXT,"
	"  url          TEXT,"
	"  occupation   INTEGER REFERENCES concept(id)," /* best ESCO occupation, NULL when none */
	"  occupation_score REAL,"
	"  duplicate_of INTEGER REFERENCES ad(id)," /* the first ad of its duplicate cluster; NULL = counted */
	"  processed_generation INTEGER NOT NULL DEFAULT 0," /* taxonomy generation of the extraction */
	"  UNIQUE (source, record_hash)"
	");"
	"CREATE INDEX ad_by_posted ON ad(posted);"
	"CREATE INDEX ad_by_occupation ON ad(occupation);"

	/* Skills found in an ad (the confident ones, as `skillhub extract` lists them). */
	"CREATE TABLE ad_skill("
	"  ad    INTEGER NOT NULL REFERENCES ad(id) ON DELETE CASCADE,"
	"  skill INTEGER NOT NULL REFERENCES concept(id),"
	"  score REAL NOT NULL,"
	"  PRIMARY KEY (ad, skill)"
	") WITHOUT ROWID;"
	"CREATE INDEX ad_skill_by_skill ON ad_skill(skill);";

/*
 * Migration 3: the training catalogue (skillhub courses / providers, issue
 * 6).  Providers and courses carry a short stable `ref` that exchange files
 * use; everything else refers to rows by id.  A course's texts and learning
 * outcomes are per language; its ESCO skills are proposed by the extractor
 * or declared by the provider and only `accepted` ones count (quality rules,
 * search, exports).  course_term is the search index over a course's texts
 * (stemmed terms); `audit` records who changed which field of what.
 */
static const char migration_3_catalogue[] =
	"CREATE TABLE provider("
	"  id            INTEGER PRIMARY KEY,"
	"  ref           TEXT NOT NULL UNIQUE,"     /* stable id in exchange files: 'de-battery-academy' */
	"  name          TEXT NOT NULL,"
	"  country       TEXT NOT NULL,"            /* ISO 3166-1 alpha-2 */
	"  type          TEXT NOT NULL CHECK (type IN"
	"                ('vet','higher_education','company_academy','association','public','other')),"
	"  contact       TEXT,"
	"  accreditation TEXT"
	");"

	"CREATE TABLE course("
	"  id            INTEGER PRIMARY KEY,"
	"  ref           TEXT NOT NULL UNIQUE,"     /* stable id in exchange files: 'BAT-101' */
	"  provider      INTEGER NOT NULL REFERENCES provider(id),"
	"  status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN"
	"                ('draft','submitted','approved','rejected')),"
	"  flagged       TEXT,"                     /* approved but failing the current rule set: why; NULL = passes */
	"  mode          TEXT CHECK (mode IN ('onsite','online','blended')),"
	"  location      TEXT,"
	"  region        TEXT,"                     /* NUTS code */
	"  hours         REAL,"
	"  ects          REAL,"
	"  ecvet         REAL,"
	"  eqf           INTEGER,"                  /* EQF level 1..8 (checked by the rules, not here) */
	"  cost          REAL,"
	"  currency      TEXT,"                     /* ISO 4217 */
	"  start_date    TEXT,"                     /* ISO 8601 date */
	"  end_date      TEXT,"
	"  self_paced    INTEGER NOT NULL DEFAULT 0,"
	"  url           TEXT,"
	"  audience      TEXT,"
	"  train_the_trainer INTEGER NOT NULL DEFAULT 0,"
	"  credential    TEXT,"
	"  parent        INTEGER REFERENCES course(id)," /* the course this one is a module of */
	"  updated_at    TEXT NOT NULL"
	");"
	"CREATE INDEX course_by_provider ON course(provider);"
	"CREATE INDEX course_by_status ON course(status);"
	"CREATE INDEX course_by_parent ON course(parent);"

	/* Teaching languages (ISO 639-1). */
	"CREATE TABLE course_language("
	"  course INTEGER NOT NULL REFERENCES course(id) ON DELETE CASCADE,"
	"  lang   TEXT NOT NULL,"
	"  PRIMARY KEY (course, lang)"
	") WITHOUT ROWID;"

	"CREATE TABLE course_text("
	"  course      INTEGER NOT NULL REFERENCES course(id) ON DELETE CASCADE,"
	"  lang        TEXT NOT NULL,"
	"  title       TEXT NOT NULL,"
	"  description TEXT,"
	"  PRIMARY KEY (course, lang)"
	") WITHOUT ROWID;"

	"CREATE TABLE course_outcome("
	"  course   INTEGER NOT NULL REFERENCES course(id) ON DELETE CASCADE,"
	"  lang     TEXT NOT NULL,"
	"  position INTEGER NOT NULL,"              /* order within the language, from 1 */
	"  text     TEXT NOT NULL,"
	"  PRIMARY KEY (course, lang, position)"
	") WITHOUT ROWID;"

	"CREATE TABLE course_skill("
	"  course INTEGER NOT NULL REFERENCES course(id) ON DELETE CASCADE,"
	"  skill  INTEGER NOT NULL REFERENCES concept(id),"
	"  level  TEXT CHECK (level IN ('basic','intermediate','advanced')),"
	"  origin TEXT NOT NULL CHECK (origin IN ('proposed','accepted','rejected')),"
	"  score  REAL,"                            /* extractor score of a proposal; NULL when declared */
	"  PRIMARY KEY (course, skill)"
	") WITHOUT ROWID;"
	"CREATE INDEX course_skill_by_skill ON course_skill(skill);"

	/* What a learner needs first: an ESCO skill or another course. */
	"CREATE TABLE course_prerequisite("
	"  course          INTEGER NOT NULL REFERENCES course(id) ON DELETE CASCADE,"
	"  skill           INTEGER REFERENCES concept(id),"
	"  required_course INTEGER REFERENCES course(id),"
	"  CHECK ((skill IS NULL) <> (required_course IS NULL))"
	");"
	"CREATE INDEX course_prerequisite_by_course ON course_prerequisite(course);"

	/* Search index: stemmed terms of titles, descriptions and outcomes. */
	"CREATE TABLE course_term("
	"  term   TEXT NOT NULL,"
	"  course INTEGER NOT NULL REFERENCES course(id) ON DELETE CASCADE,"
	"  tf     INTEGER NOT NULL,"
	"  PRIMARY KEY (term, course)"
	") WITHOUT ROWID;"
	"CREATE INDEX course_term_by_course ON course_term(course);"

	/* Who changed what: one row per changed field (old/new NULL when absent). */
	"CREATE TABLE audit("
	"  id     INTEGER PRIMARY KEY,"
	"  who    TEXT NOT NULL,"
	"  at     TEXT NOT NULL,"                   /* ISO 8601 UTC */
	"  entity TEXT NOT NULL,"                   /* 'provider:REF', 'course:REF', 'course_skill:REF' */
	"  field  TEXT NOT NULL,"
	"  old    TEXT,"
	"  new    TEXT"
	");"
	"CREATE INDEX audit_by_entity ON audit(entity);";

/*
 * Migration 4: accounts, API tokens, browser sessions and failed sign-ins
 * (issue 6, "Access"; docs/accounts.md).  Passwords are Argon2id PHC
 * strings; tokens and session ids are stored only as their SHA-256, so that
 * a copy of the database logs nobody in.  Every table holding records that belong to an account refers
 * to it with `REFERENCES account(id) ON DELETE CASCADE` (foreign keys are on
 * in every connection, db.c): deleting the account deletes them.
 */
static const char migration_4_accounts[] =
	"CREATE TABLE account("
	"  id            INTEGER PRIMARY KEY,"
	"  login         TEXT NOT NULL UNIQUE,"     /* letters, digits, . _ - @; 1 to 64 bytes */
	"  role          TEXT NOT NULL CHECK (role IN"
	"                ('administrator','provider','reviewer','analyst','learner')),"
	"  provider_id   INTEGER REFERENCES provider(id)," /* the provider a 'provider' account acts for */
	"  password_hash TEXT NOT NULL,"            /* '$argon2id$v=19$m=...,t=...,p=...$salt$hash' */
	"  created       TEXT NOT NULL,"            /* ISO 8601 UTC */
	"  CHECK ((role = 'provider') = (provider_id IS NOT NULL))"
	");"

	"CREATE TABLE api_token("
	"  id           INTEGER PRIMARY KEY,"
	"  account      INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	"  label        TEXT NOT NULL,"             /* names the token for its owner: 'ci', 'laptop' */
	"  token_sha256 BLOB NOT NULL UNIQUE,"      /* SHA-256 of the token's text */
	"  created      TEXT NOT NULL,"             /* ISO 8601 UTC */
	"  last_used    TEXT,"                      /* ISO 8601 UTC, updated at most once a minute */
	"  revoked      TEXT"                       /* ISO 8601 UTC; NULL while the token is live */
	");"
	"CREATE UNIQUE INDEX api_token_live_label ON api_token(account, label) WHERE revoked IS NULL;"
	"CREATE INDEX api_token_by_account ON api_token(account);"

	"CREATE TABLE session("
	"  sid_sha256 BLOB PRIMARY KEY,"            /* SHA-256 of the cookie's value */
	"  account    INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	"  csrf       TEXT NOT NULL,"               /* the token the session's forms echo back */
	"  created    INTEGER NOT NULL,"            /* Unix time, seconds */
	"  expires    INTEGER NOT NULL"             /* Unix time, seconds */
	") WITHOUT ROWID;"
	"CREATE INDEX session_by_expires ON session(expires);"
	"CREATE INDEX session_by_account ON session(account);"

	/* Failed sign-ins per login (existing or not) in the current window. */
	"CREATE TABLE login_failure("
	"  login    TEXT PRIMARY KEY,"
	"  failures INTEGER NOT NULL,"
	"  since    INTEGER NOT NULL"              /* Unix time of the window's first failure */
	") WITHOUT ROWID;";

/*
 * Migration 5: personal skill profiles (issue 7, docs/pathways.md).  Only
 * what the pathways need is kept: per skill held its level, where the claim
 * came from and when it was added; per account the occupation aimed at and
 * the plan preferences.  Both tables belong to the account (ON DELETE
 * CASCADE); `sh_profile_store_erase` empties them while the account stays.
 */
static const char migration_5_profiles[] =
	"CREATE TABLE profile("
	"  account    INTEGER PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE,"
	"  target     INTEGER REFERENCES concept(id)," /* the occupation aimed at */
	"  language   TEXT,"                        /* ISO 639 teaching language wanted; NULL = any */
	"  region     TEXT,"                        /* NUTS / ISO 3166 prefix; NULL = anywhere */
	"  budget     REAL CHECK (budget >= 0),"    /* money for courses; NULL = no limit */
	"  updated_at TEXT NOT NULL"                /* ISO 8601 UTC */
	");"

	"CREATE TABLE profile_skill("
	"  account INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	"  skill   INTEGER NOT NULL REFERENCES concept(id)," /* a skill or skill group */
	"  level   REAL NOT NULL CHECK (level >= 0 AND level <= 1),"
	"  source  TEXT NOT NULL CHECK (source IN ('declared','assessed','credential','cv','occupation')),"
	"  added   TEXT NOT NULL,"                  /* ISO 8601 UTC */
	"  PRIMARY KEY (account, skill)"
	") WITHOUT ROWID;";

const sh_migration sh_migrations[] = {
	{ 1, migration_1_taxonomy },
	{ 2, migration_2_ads },
	{ 3, migration_3_catalogue },
	{ 4, migration_4_accounts },
	{ 5, migration_5_profiles },
};
const int sh_migration_count = (int)(sizeof sh_migrations / sizeof sh_migrations[0]);
