/*
 * server/openapi.c - the OpenAPI 3.1 document of /api/v1, served at
 * /api/v1/openapi.json.
 *
 * The document is the file openapi.json beside this one, kept and edited as
 * JSON (shared shapes live once under components and are referred to with
 * $ref).  The assembler's .incbin copies it into the program's read-only
 * data at build time, followed by a NUL so that it is a C string; the
 * Makefile makes this object depend on the file.  Paths are relative to the
 * directory make runs in, the top of the tree.
 *
 * Edit it together with the route table (router.c): tests/unit/test_router.c
 * fails when a route is served but not documented there or the other way
 * round, and tests/integration/test_server.sh compares the served document
 * with `skillhub serve --routes`.
 */
#include "server/assets.h"

__asm__(".pushsection .rodata\n"
        ".global sh_openapi_json\n"
        ".type sh_openapi_json, @object\n"
        ".balign 16\n"
        "sh_openapi_json:\n"
        ".incbin \"src/server/openapi.json\"\n"
        ".byte 0\n"
        ".size sh_openapi_json, . - sh_openapi_json\n"
        ".popsection\n");
