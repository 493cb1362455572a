/*
 * cli/cmd_ads.h - the `skillhub ads` subcommands implemented outside
 * cmd_ads.c: aggregate and merge (cmd_ads_agg.c).  cmd_ads.c dispatches
 * `skillhub ads aggregate|merge ...` to them with argv[0] = the subcommand.
 */
#ifndef SH_CLI_CMD_ADS_H
#define SH_CLI_CMD_ADS_H

#include "cli/cli.h"

int cmd_ads_aggregate(sh_cli *cli, int argc, char **argv); int cmd_ads_merge(sh_cli *cli, int argc, char **argv);

#endif
