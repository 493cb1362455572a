/*
 * auth/auth_internal.h - what the files of src/auth share: password hashing
 * (password.c), random secrets and their digests (secret.c), and reading an
 * account row (accounts.c).
 */
#ifndef SH_AUTH_INTERNAL_H
#define SH_AUTH_INTERNAL_H

#include <sqlite3.h>
#include <stdint.h>

#include "skillhub/auth.h"

enum { SH_SHA256_BYTES = 32 };

/* SH_OK when the password's length is within [SH_PASSWORD_MIN, SH_PASSWORD_MAX], else SH_EINVAL naming the limit. */
int sh_password_check(const char *password);
/* A new Argon2id PHC string for password with a random salt (*encoded: caller frees). */
int sh_password_hash(const char *password, char **encoded);
/* SH_OK when password matches the PHC string, else SH_EAUTH (a malformed string too). */
int sh_password_verify(const char *encoded, const char *password);
/* The work of a failed sh_password_verify, for an unknown login: returns SH_EAUTH. */
int sh_password_waste(const char *password);
/*
 * Sets the Argon2id cost of new hashes: t passes over m_kib KiB.  Only the
 * unit tests lower it (to keep their many hashes fast); the server and the
 * CLI use the defaults of password.c.  Not thread-safe: call before use.
 */
void sh_password_set_cost(uint32_t t, uint32_t m_kib);

/* A new 256-bit random secret as base64url text without padding (SH_SECRET_CHARS + NUL). */
int sh_secret_new(char out[SH_SECRET_CHARS + 1]);
/* SHA-256 of a secret's text: what the tables store instead of the secret. */
void sh_secret_digest(const char *secret, unsigned char out[SH_SHA256_BYTES]);

/* Failed sign-ins (login_failures.c): one more failure for login; forgetting them after a success. */
int sh_login_failure_record(sh_db *db, const char *login);
int sh_login_failure_clear(sh_db *db, const char *login);
/* SH_OK when login follows the rules of logins (1 to 64 of A-Z a-z 0-9 . _ - @), else SH_EINVAL naming the byte. */
int sh_login_check(const char *login);

/* The one message of every authentication failure (see skillhub/auth.h). */
int sh_auth_fail(void);

/*
 * Fills *out from a row whose columns col, col+1, col+2, col+3 are
 * account.id, account.login, account.role and provider.ref (NULL when none).
 */
void sh_account_from_row(sqlite3_stmt *st, int col, sh_account *out);
/* The SELECT list that sh_account_from_row reads, from account a joined with SH_ACCOUNT_PROVIDER. */
#define SH_ACCOUNT_COLUMNS  "a.id, a.login, a.role, p.ref"
#define SH_ACCOUNT_PROVIDER "LEFT JOIN provider p ON p.id = a.provider_id"
#define SH_ACCOUNT_FROM     "account a " SH_ACCOUNT_PROVIDER

#endif
