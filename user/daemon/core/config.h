/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: configuration, one INI file (libinih), see l2tpsecd.conf(5).
 *
 * Each protocol module owns its sections: it registers a handler, and the
 * loader hands it every key of those sections. A handler returns 0, or
 * -EINVAL after setting an explanation with config_error(); the loader
 * then reports "FILE:LINE: [section] key: explanation" and refuses to start.
 */
#ifndef L2TPSECD_CONFIG_H
#define L2TPSECD_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

struct config_ctx;

typedef int (*config_key_fn)(void *owner, struct config_ctx *ctx,
			     const char *section, const char *key,
			     const char *value);
/* Called once after the whole file was read, to check required keys. */
typedef int (*config_done_fn)(void *owner, struct config_ctx *ctx);

struct config_section {
	const char	*name;		/* "ike", "l2tp", "ppp", "pool", ... */
	bool		repeatable;	/* [peer NAME] style sections */
	config_key_fn	key;
	config_done_fn	done;		/* may be NULL */
	void		*owner;
	/*
	 * The keys the section knows, NULL-terminated (may be NULL): an
	 * unknown key is then answered with "did you mean" a near one of
	 * them, or the section that has it.
	 */
	const char *const *keys;
};

struct config_loader;

struct config_loader *config_loader_new(void);
void config_loader_free(struct config_loader *l);
void config_register(struct config_loader *l, const struct config_section *s);
/* 0, or -errno with every error already printed (file:line: ...). */
int config_load(struct config_loader *l, const char *path);
int config_load_string(struct config_loader *l, const char *name,
		       const char *text);

void config_error(struct config_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *config_file(const struct config_ctx *ctx);
int config_line(const struct config_ctx *ctx);
/* For [peer NAME]-style sections: the part after the section's name. */
const char *config_section_arg(const struct config_ctx *ctx);

/* Value parsers shared by every section; each calls config_error(). */
int config_parse_bool(struct config_ctx *ctx, const char *v, bool *out);
int config_parse_u32(struct config_ctx *ctx, const char *v, uint32_t min,
		     uint32_t max, uint32_t *out);
int config_parse_duration(struct config_ctx *ctx, const char *v,
			  uint32_t *seconds);	/* "30", "30s", "8h", "1d" */
int config_parse_ipv4(struct config_ctx *ctx, const char *v, uint32_t *be);

/*
 * Secrets files must not be readable by group or others: refuse them with
 * "FILE: mode 0644 lets others read the secrets; chmod 600 FILE".
 */
int config_check_secret_file(const char *path, char *err, unsigned int len);

#endif
