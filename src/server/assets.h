/*
 * server/assets.h - files the server embeds in the binary: the stylesheet,
 * the script of the web pages and the OpenAPI document.  Keeping them as C
 * strings means one self-contained program, with no path to get wrong.
 */
#ifndef SH_SERVER_ASSETS_H
#define SH_SERVER_ASSETS_H

extern const char sh_style_css[];
extern const char sh_app_js[];
/* OpenAPI 3.1 description of /api/v1: src/server/openapi.json, embedded by openapi.c. */
extern const char sh_openapi_json[];

#endif
