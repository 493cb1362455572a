/*
 * auth/secret.c - random secrets (API tokens, session ids, CSRF tokens) and
 * their comparison.
 *
 * A secret is 32 bytes from libsodium's randombytes_buf (the kernel's CSPRNG),
 * written as 43 characters of base64url without padding so that it travels
 * unchanged in headers, cookies and form fields.  Tables store the SHA-256 of
 * the text, never the text: a token is looked up by its digest, which reveals
 * nothing about tokens that are close to it, so the lookup needs no
 * constant-time care.  Secrets that are compared directly (the CSRF token of
 * a form against its session's) go through sh_secret_equal, which compares
 * the digests of both with crypto_verify_32: the time taken depends on
 * neither the content nor the length of the guess.
 */
#include <sodium.h>
#include <string.h>

#include "auth/auth_internal.h"
#include "core/error.h"

static int sodium_ready(void)
{
	if (sodium_init() < 0)
		return sh_error(SH_ERROR, "libsodium failed to initialise");
	return SH_OK;
}

int sh_secret_new(char out[SH_SECRET_CHARS + 1])
{
	unsigned char raw[32];
	int rc = sodium_ready();
	if (rc)
		return rc;
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, SH_SECRET_CHARS + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	return SH_OK;
}

void sh_secret_digest(const char *secret, unsigned char out[SH_SHA256_BYTES])
{
	crypto_hash_sha256(out, (const unsigned char *)secret, strlen(secret));
}

int sh_secret_equal(const char *a, const char *b)
{
	unsigned char da[SH_SHA256_BYTES], db[SH_SHA256_BYTES];
	if (!a || !b || sodium_ready())
		return 0;
	sh_secret_digest(a, da);
	sh_secret_digest(b, db);
	return crypto_verify_32(da, db) == 0;
}

int sh_auth_fail(void)
{
	return sh_error(SH_EAUTH, "authentication failed: wrong login, password, token or session");
}
