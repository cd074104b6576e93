// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the [radius] section, see conf.h and l2tpsecd.conf(5).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "conf.h"
#include "secretfile.h"

void radius_conf_init(struct radius_conf *c)
{
	memset(c, 0, sizeof(*c));
	radius_cfg_defaults(&c->cfg);
	c->order = RADIUS_ORDER_LOCAL_FIRST;
}

const char *radius_order_str(enum radius_order o)
{
	return o == RADIUS_ORDER_RADIUS_ONLY ? "radius-only" : "local-first";
}

/* "HOST[:PORT] HOST[:PORT] ..." (spaces or commas between) */
static int parse_servers(struct config_ctx *ctx, struct radius_conf *c,
			 const char *v)
{
	char word[128];
	unsigned int n = 0;
	size_t len;

	if (strlen(v) >= sizeof(c->servers_text)) {
		config_error(ctx, "too long");
		return -EINVAL;
	}
	while (*v) {
		v += strspn(v, " \t,");
		len = strcspn(v, " \t,");
		if (!len)
			break;
		if (len >= sizeof(word)) {
			config_error(ctx, "\"%.*s\": not HOST[:PORT]",
				     (int)len, v);
			return -EINVAL;
		}
		if (n == RADIUS_MAX_SERVERS) {
			config_error(ctx, "more than %d servers",
				     RADIUS_MAX_SERVERS);
			return -EINVAL;
		}
		memcpy(word, v, len);
		word[len] = '\0';
		if (radius_parse_server(word, &c->cfg.servers[n]) < 0) {
			config_error(ctx,
				     "\"%s\": not an IPv4 HOST[:PORT] or [IPv6][:PORT] (port 1812 by default)",
				     word);
			return -EINVAL;
		}
		n++;
		v += len;
	}
	if (!n) {
		config_error(ctx, "no server given");
		return -EINVAL;
	}
	c->cfg.n_servers = n;
	return 0;
}

static int radius_key(void *owner, struct config_ctx *ctx,
		      const char *section, const char *key, const char *value)
{
	struct radius_conf *c = owner;
	uint32_t u;
	int ret;

	(void)section;
	c->present = true;
	if (!strcmp(key, "servers")) {
		ret = parse_servers(ctx, c, value);
		if (!ret)
			snprintf(c->servers_text, sizeof(c->servers_text),
				 "%s", value);
		return ret;
	}
	if (!strcmp(key, "secret-file")) {
		if (value[0] != '/' ||
		    strlen(value) >= sizeof(c->secret_file)) {
			config_error(ctx, "\"%s\": expected an absolute path",
				     value);
			return -EINVAL;
		}
		snprintf(c->secret_file, sizeof(c->secret_file), "%s", value);
		return 0;
	}
	if (!strcmp(key, "nas-identifier")) {
		const char *p;

		if (!*value ||
		    strlen(value) >= sizeof(c->cfg.nas_identifier)) {
			config_error(ctx, "expected 1..%zu characters",
				     sizeof(c->cfg.nas_identifier) - 1);
			return -EINVAL;
		}
		for (p = value; *p; p++)
			if (!isprint((unsigned char)*p)) {
				config_error(ctx, "not printable");
				return -EINVAL;
			}
		snprintf(c->cfg.nas_identifier,
			 sizeof(c->cfg.nas_identifier), "%s", value);
		return 0;
	}
	if (!strcmp(key, "nas-ip-address"))
		return config_parse_ipv4(ctx, value, &c->cfg.nas_ip.s_addr);
	if (!strcmp(key, "order")) {
		if (!strcmp(value, "local-first")) {
			c->order = RADIUS_ORDER_LOCAL_FIRST;
		} else if (!strcmp(value, "radius-only")) {
			c->order = RADIUS_ORDER_RADIUS_ONLY;
		} else {
			config_error(ctx,
				     "\"%s\": expected local-first or radius-only",
				     value);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "timeout")) {
		/* per try, in seconds: 1..30 */
		ret = config_parse_duration(ctx, value, &u);
		if (ret)
			return ret;
		if (u < 1 || u > 30) {
			config_error(ctx, "\"%s\": expected 1s..30s", value);
			return -EINVAL;
		}
		c->cfg.timeout_ms = u * 1000;
		return 0;
	}
	if (!strcmp(key, "tries"))
		return config_parse_u32(ctx, value, 1, 10, &c->cfg.tries);
	if (!strcmp(key, "dead-time")) {
		ret = config_parse_duration(ctx, value, &u);
		if (ret)
			return ret;
		if (u > 3600) {
			config_error(ctx, "\"%s\": expected 0..1h", value);
			return -EINVAL;
		}
		c->cfg.dead_time_s = u;
		return 0;
	}
	if (!strcmp(key, "max-pending"))
		return config_parse_u32(ctx, value, 1, 65536,
					&c->cfg.max_pending);
	config_error(ctx, "unknown key (see l2tpsecd.conf(5), [radius])");
	return -EINVAL;
}

static int radius_done(void *owner, struct config_ctx *ctx)
{
	struct radius_conf *c = owner;

	if (!c->present)
		return 0;
	if (!c->cfg.n_servers) {
		config_error(ctx, "needs servers = HOST[:PORT] ...");
		return -EINVAL;
	}
	if (!c->secret_file[0]) {
		config_error(ctx,
			     "needs secret-file = PATH (the shared secret, mode 0600, owned by root)");
		return -EINVAL;
	}
	return 0;
}

void radius_conf_register(struct config_loader *ld, struct radius_conf *c)
{
	static const char *const keys[] = {
		"servers", "secret-file", "nas-identifier", "nas-ip-address",
		"order", "timeout", "tries", "dead-time", "max-pending", NULL,
	};
	struct config_section s = {
		.name = "radius", .key = radius_key, .done = radius_done,
		.owner = c, .keys = keys,
	};

	config_register(ld, &s);
}

int radius_conf_load_secret(struct radius_conf *c)
{
	char err[1024], buf[RADIUS_MAX_SECRET + 2];
	unsigned int i;
	ssize_t n;
	size_t len;
	int fd;

	if (!c->present)
		return 0;
	fd = l2_open_secret(c->secret_file, err, sizeof(err));
	if (fd < 0) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "[radius] secret-file %s",
			err);
		return fd;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG,
			"[radius] secret-file %s: %s", c->secret_file,
			strerror(errno));
		return -EIO;
	}
	buf[n] = '\0';
	len = strcspn(buf, "\r\n");
	if (!len || len > RADIUS_MAX_SECRET) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG,
			"[radius] secret-file %s: the first line must be the shared secret, 1..%d bytes",
			c->secret_file, RADIUS_MAX_SECRET);
		explicit_bzero(buf, sizeof(buf));
		return -EINVAL;
	}
	for (i = 0; i < c->cfg.n_servers; i++) {
		memcpy(c->cfg.servers[i].secret, buf, len);
		c->cfg.servers[i].secret[len] = '\0';
	}
	explicit_bzero(buf, sizeof(buf));
	return 0;
}

bool radius_conf_same(const struct radius_conf *a,
		      const struct radius_conf *b)
{
	unsigned int i;

	if (a->present != b->present || a->order != b->order ||
	    strcmp(a->secret_file, b->secret_file) ||
	    a->cfg.n_servers != b->cfg.n_servers ||
	    a->cfg.timeout_ms != b->cfg.timeout_ms ||
	    a->cfg.tries != b->cfg.tries ||
	    a->cfg.dead_time_s != b->cfg.dead_time_s ||
	    a->cfg.max_pending != b->cfg.max_pending ||
	    a->cfg.nas_ip.s_addr != b->cfg.nas_ip.s_addr ||
	    strcmp(a->cfg.nas_identifier, b->cfg.nas_identifier))
		return false;
	for (i = 0; i < a->cfg.n_servers; i++)
		if (a->cfg.servers[i].addr_len != b->cfg.servers[i].addr_len ||
		    memcmp(&a->cfg.servers[i].addr, &b->cfg.servers[i].addr,
			   a->cfg.servers[i].addr_len))
			return false;
	return true;
}
