/*
 * bench/password.c - the cost of a password hash (src/auth/password.c) at the
 * default Argon2id parameters and around them, against libsodium's own
 * Argon2id (crypto_pwhash) at the same parameters, measured in the same run.
 *
 *   build/bench/password [ROUNDS]        (default 10 hashes per setting)
 *
 * Prints per setting the best and mean milliseconds of sh_password_hash and
 * of crypto_pwhash, their ratio, and the peak resident memory of the run.
 * docs/accounts.md quotes these figures.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "auth/auth_internal.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	static const unsigned settings[][2] = { { 2, 19456 }, { 3, 19456 }, { 4, 19456 }, { 2, 32768 }, { 2, 65536 } };
	static const char password[] = "correct horse battery staple";
	int rounds = argc > 1 ? atoi(argv[1]) : 10;
	if (rounds < 1 || sodium_init() < 0) {
		fprintf(stderr, "usage: password [ROUNDS >= 1]\n");
		return 2;
	}
	printf("%-3s %-9s %-22s %-22s %s\n", "t", "m (KiB)", "sh_password_hash ms", "crypto_pwhash ms", "ratio (mean)");
	for (size_t s = 0; s < sizeof settings / sizeof settings[0]; s++) {
		unsigned t = settings[s][0], m = settings[s][1];
		double best[2] = { 1e9, 1e9 }, sum[2] = { 0, 0 };
		sh_password_set_cost(t, m);
		for (int r = 0; r < rounds; r++) {
			char *encoded = NULL;
			unsigned char key[32], salt[crypto_pwhash_SALTBYTES] = { 0 };
			double a = now_ms();
			if (sh_password_hash(password, &encoded)) {
				fprintf(stderr, "password: %s\n", sh_errmsg());
				return 1;
			}
			double b = now_ms();
			if (crypto_pwhash(key, sizeof key, password, sizeof password - 1, salt, t, (size_t)m * 1024,
			                  crypto_pwhash_ALG_ARGON2ID13)) {
				fprintf(stderr, "password: crypto_pwhash ran out of memory\n");
				return 1;
			}
			double c = now_ms();
			free(encoded);
			double ms[2] = { b - a, c - b };
			for (int i = 0; i < 2; i++) {
				sum[i] += ms[i];
				if (ms[i] < best[i])
					best[i] = ms[i];
			}
		}
		printf("%-3u %-9u best %6.1f mean %6.1f  best %6.1f mean %6.1f  %.2f\n", t, m, best[0], sum[0] / rounds,
		       best[1], sum[1] / rounds, sum[0] / sum[1]);
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak resident memory: %ld KiB\n", ru.ru_maxrss);
	return 0;
}
