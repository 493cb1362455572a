/*
 * match/rank_compile.h - the section compiler that sh_index_build() runs for
 * skill ranking (rank_model.h) and title normalisation (titles.h).
 */
#ifndef SH_MATCH_RANK_COMPILE_H
#define SH_MATCH_RANK_COMPILE_H

#include "index/index_internal.h"

/* Compiles the RK.. and TL.. sections; needs the concepts and texts compiled before it. */
int sh_rank_compile(sh_index_builder *b);

#endif
