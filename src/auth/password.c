/*
 * auth/password.c - Argon2id password hashes in the PHC string format.
 *
 * Cost: t = 3 passes over m = 19 MiB, one lane (OWASP's minimum is t = 2
 * at that memory).  On the 2-core reference server one hash (a login, an
 * account created, a password changed) took 50 to 65 ms of one core under
 * load (bench/password.sh; docs/accounts.md has the figures); 32 MiB and
 * more cost several times as much time for less than twice the memory
 * there.  libmicrohttpd runs at most one request per thread (one per core),
 * so logins use at most 2 x 19 MiB at once.  The parameters travel inside
 * each PHC string, and argon2id_verify reads them from there: raising the
 * cost later leaves stored hashes valid.
 *
 * Salt: 16 random bytes per hash; output 32 bytes.
 *
 * sh_password_waste does the work of a verification that fails, against a
 * hash made once at the current cost, so that an unknown login costs the
 * same time as a wrong password, whatever the password's length.
 */
#include <argon2.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth_internal.h"
#include "core/error.h"

enum { SALT_BYTES = 16, HASH_BYTES = 32, LANES = 1 };

static uint32_t cost_t = 3;
static uint32_t cost_m_kib = 19 * 1024;

void sh_password_set_cost(uint32_t t, uint32_t m_kib)
{
	cost_t = t;
	cost_m_kib = m_kib;
}

int sh_password_check(const char *password)
{
	size_t n = strlen(password);
	if (n < SH_PASSWORD_MIN)
		return sh_error(SH_EINVAL, "password: shorter than %d bytes", SH_PASSWORD_MIN);
	if (n > SH_PASSWORD_MAX)
		return sh_error(SH_EINVAL, "password: longer than %d bytes", SH_PASSWORD_MAX);
	return SH_OK;
}

int sh_password_hash(const char *password, char **encoded)
{
	unsigned char salt[SALT_BYTES];
	*encoded = NULL;
	int rc = sh_password_check(password);
	if (rc)
		return rc;
	if (sodium_init() < 0)
		return sh_error(SH_ERROR, "libsodium failed to initialise");
	randombytes_buf(salt, sizeof salt);
	size_t len = argon2_encodedlen(cost_t, cost_m_kib, LANES, SALT_BYTES, HASH_BYTES, Argon2_id);
	char *out = malloc(len);
	if (!out)
		return sh_error(SH_ENOMEM, "out of memory");
	int a = argon2id_hash_encoded(cost_t, cost_m_kib, LANES, password, strlen(password), salt, sizeof salt,
	                              HASH_BYTES, out, len);
	if (a != ARGON2_OK) {
		free(out);
		return sh_error(a == ARGON2_MEMORY_ALLOCATION_ERROR ? SH_ENOMEM : SH_ERROR, "argon2id: %s",
		                argon2_error_message(a));
	}
	*encoded = out;
	return SH_OK;
}

int sh_password_verify(const char *encoded, const char *password)
{
	size_t n = strnlen(password, SH_PASSWORD_MAX + 1); /* the same work for a password too long */
	if (argon2id_verify(encoded, password, n) != ARGON2_OK || n > SH_PASSWORD_MAX)
		return sh_auth_fail();
	return SH_OK;
}

static char *waste_hash;
static pthread_once_t waste_once = PTHREAD_ONCE_INIT;

static void make_waste_hash(void)
{
	if (sh_password_hash("not the password of anybody", &waste_hash))
		waste_hash = NULL;
}

int sh_password_waste(const char *password)
{
	pthread_once(&waste_once, make_waste_hash);
	if (waste_hash)
		argon2id_verify(waste_hash, password, strnlen(password, SH_PASSWORD_MAX + 1));
	return sh_auth_fail();
}
