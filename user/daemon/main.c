// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the L2TP/IPsec daemon. One process, one event loop: IKEv1
 * (ike/), L2TP control, PPP and users (l2tp/, ppp/, auth/), the module
 * (kmod.c), the configuration (config.c).
 *
 *   l2tpsecd [-c FILE] [-f] [-d] [--check-config]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "failrec.h"
#include "ctl/ctl.h"
#include "ctl/events.h"
#include "ctlproto.h"
#include "ctl/status.h"
#include "diag/history.h"
#include "diag/watch.h"
#include "ike/ike.h"
#include "instance.h"
#include "kmod.h"
#include "l2tp/diag.h"
#include "l2tp/l2tp.h"
#include "log.h"
#include "loop.h"
#include "radius/conf.h"
#include "readiness.h"

#ifndef L2TPSEC_VERSION
#define L2TPSEC_VERSION "0.1"
#endif

#define DEFAULT_CONFIG	"/etc/l2tpsec/l2tpsecd.conf"
#define RUNTIME_DIR	"/run/l2tpsec"
#define DEFAULT_PIDFILE	RUNTIME_DIR "/l2tpsecd.pid"

/* [daemon] */
struct daemon_conf {
	char		device[16];
	bool		create_device;
	bool		use_syslog;
	bool		debug;
	char		pidfile[256];
	char		control_socket[108];	/* "": none */
	uint32_t	log_burst;		/* 0: no rate limit */
	char		lock_file[256];		/* "": derived */
	char		user[64];		/* "": stay root */
	char		group[64];		/* "": the user's */
	char		control_group[64];	/* "": none (read-only access) */
	uint32_t	event_queue;		/* per l2tpsec monitor */
};

struct daemon {
	struct loop		*loop;
	struct config_loader	*cfg;
	struct daemon_conf	conf;
	struct kmod		*kmod;
	struct ike		*ike;
	struct l2tp		*l2tp;		/* NULL once shut down */
	struct ctl		*ctl;
	struct l2_failures	*failures;
	struct diag_watch	*watch;		/* failure classes 7 and 10 */
	struct radius_conf	radius;		/* [radius] as started */
	struct diag_history	*history;	/* ended sessions */
	struct loop_timer	*log_tick;	/* reports suppressed lines */
	struct instance		*instance;
	int			sigfd;
	bool			foreground;
	struct readiness	ready;
	const char		*config_path;
	bool			debug_arg;	/* -d given */
};

/* ---- [daemon] ------------------------------------------------------------ */

static int daemon_key(void *owner, struct config_ctx *ctx,
		      const char *section, const char *key, const char *value)
{
	struct daemon_conf *c = owner;

	(void)section;
	if (!strcmp(key, "device")) {
		if (!*value || strlen(value) >= sizeof(c->device) ||
		    strchr(value, '/') || strchr(value, ' ')) {
			config_error(ctx, "\"%s\" is not an interface name",
				     value);
			return -EINVAL;
		}
		snprintf(c->device, sizeof(c->device), "%s", value);
		return 0;
	}
	if (!strcmp(key, "create-device"))
		return config_parse_bool(ctx, value, &c->create_device);
	if (!strcmp(key, "syslog"))
		return config_parse_bool(ctx, value, &c->use_syslog);
	if (!strcmp(key, "debug"))
		return config_parse_bool(ctx, value, &c->debug);
	if (!strcmp(key, "event-queue"))
		return config_parse_u32(ctx, value, CTL_EVENT_QUEUE_MIN,
					CTL_EVENT_QUEUE_MAX, &c->event_queue);
	if (!strcmp(key, "log-burst"))
		return config_parse_u32(ctx, value, 0, 100000, &c->log_burst);
	if (!strcmp(key, "pidfile")) {
		snprintf(c->pidfile, sizeof(c->pidfile), "%s", value);
		return 0;
	}
	if (!strcmp(key, "control-socket")) {
		if (!strcmp(value, "no") || !strcmp(value, "none")) {
			c->control_socket[0] = '\0';
			return 0;
		}
		if (value[0] != '/' ||
		    strlen(value) >= sizeof(c->control_socket)) {
			config_error(ctx, "expected an absolute path of at most %zu characters, or none",
				     sizeof(c->control_socket) - 1);
			return -EINVAL;
		}
		snprintf(c->control_socket, sizeof(c->control_socket), "%s",
			 value);
		return 0;
	}
	if (!strcmp(key, "lock-file")) {
		if (value[0] != '/' || strlen(value) >= sizeof(c->lock_file)) {
			config_error(ctx, "expected an absolute path of at most %zu characters",
				     sizeof(c->lock_file) - 1);
			return -EINVAL;
		}
		snprintf(c->lock_file, sizeof(c->lock_file), "%s", value);
		return 0;
	}
	if (!strcmp(key, "control-group")) {
		if (!*value || strlen(value) >= sizeof(c->control_group) ||
		    strpbrk(value, " /:")) {
			config_error(ctx, "\"%s\" is not a group name", value);
			return -EINVAL;
		}
		snprintf(c->control_group, sizeof(c->control_group), "%s", value);
		return 0;
	}
	if (!strcmp(key, "user") || !strcmp(key, "group")) {
		char *dst = key[0] == 'u' ? c->user : c->group;

		if (!*value || strlen(value) >= sizeof(c->user) ||
		    strpbrk(value, " /:")) {
			config_error(ctx, "\"%s\" is not a %s name", value, key);
			return -EINVAL;
		}
		snprintf(dst, sizeof(c->user), "%s", value);
		return 0;
	}
	config_error(ctx, "unknown key (see l2tpsecd.conf(5), [daemon])");
	return -EINVAL;
}

/* For "did you mean" (config.h): every key daemon_key() takes. */
static const char *const daemon_keys[] = {
	"device", "create-device", "syslog", "debug", "log-burst", "pidfile",
	"control-socket", "lock-file", "control-group", "user", "group",
	"event-queue", NULL,
};

/* Once a second: "N similar lines suppressed" once a flood is over. */
static void on_log_tick(void *arg)
{
	struct daemon *d = arg;

	log_flush_suppressed();
	loop_timer_arm(d->log_tick, 1000);
}

/* ---- the module's frames and events --------------------------------------- */

static void on_l2tp_ctrl(void *arg, uint32_t peer_id, uint16_t local_port,
			 uint16_t remote_port, const uint8_t *msg, size_t len)
{
	struct daemon *d = arg;

	if (d->l2tp)
		l2tp_on_ctrl(d->l2tp, peer_id, local_port, remote_port, msg,
			     len);
}

static void on_ppp(void *arg, uint32_t peer_id, uint16_t tunnel_id,
		   uint16_t session_id, const uint8_t *pkt, size_t len)
{
	struct daemon *d = arg;

	if (d->l2tp)
		l2tp_on_ppp(d->l2tp, peer_id, tunnel_id, session_id, pkt, len);
}

static void on_event(void *arg, const struct l2_event *ev)
{
	struct daemon *d = arg;

	ike_kmod_event(d->ike, ev);
	if (d->l2tp)
		l2tp_on_event(d->l2tp, ev);
}

/* ---- IKE's news for L2TP ------------------------------------------------- */

static void on_peer_up(void *arg, uint32_t peer_id,
		       const struct sockaddr_in *remote, uint16_t l2tp_port,
		       bool initiator, const char *conf_name)
{
	struct daemon *d = arg;

	if (d->l2tp)
		l2tp_peer_up(d->l2tp, peer_id, remote, l2tp_port, initiator,
			     conf_name);
	diag_watch_peer_up(d->watch, peer_id, remote, initiator);
}

static void on_peer_down(void *arg, uint32_t peer_id,
			 enum ike_down_reason reason, const char *why)
{
	struct daemon *d = arg;

	if (d->l2tp)
		l2tp_peer_down_ike(d->l2tp, peer_id, reason, why);
	diag_watch_peer_down(d->watch, peer_id);
}

static void on_session_end(void *arg, const struct l2tp_end_record *r)
{
	struct diag_hist_rec h = {
		.user = r->user, .peer = r->peer, .address = r->address,
		.start = time(NULL) - (time_t)(r->duration_ms / 1000),
		.duration_s = r->duration_ms / 1000,
		.rx_bytes = r->rx_bytes, .rx_packets = r->rx_packets,
		.tx_bytes = r->tx_bytes, .tx_packets = r->tx_packets,
		.reason = end_reason_str(r->reason), .detail = r->detail,
	};

	diag_history_add(arg, &h);
}

static void on_session_up(void *arg, const struct sockaddr_in *peer,
			  const char *user)
{
	diag_watch_session_up(arg, peer, user);
}

struct has_tunnel_ctx {
	uint32_t	peer_id;
	bool		found;
};

static void has_tunnel_one(void *arg, const struct l2tp_tunnel_view *v)
{
	struct has_tunnel_ctx *h = arg;

	h->found |= v->peer_id == h->peer_id;
}

/* For the watch of failure class 7: has L2TP a tunnel with this peer? */
static bool has_tunnel(void *arg, uint32_t peer_id)
{
	struct has_tunnel_ctx h = { .peer_id = peer_id };
	struct daemon *d = arg;

	if (d->l2tp)
		l2tp_for_each_tunnel(d->l2tp, has_tunnel_one, &h);
	return h.found;
}

/* ---- a configuration of its own: reload, --check-config ------------------ */

static void daemon_conf_defaults(struct daemon_conf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->device, sizeof(c->device), "l2tpsec0");
	c->create_device = true;
	c->log_burst = 10;
	c->event_queue = CTL_EVENT_QUEUE_DEFAULT;
	snprintf(c->pidfile, sizeof(c->pidfile), DEFAULT_PIDFILE);
	snprintf(c->control_socket, sizeof(c->control_socket), "%s",
		 L2_CTL_DEFAULT_PATH);
}

/*
 * A new file parsed into structs of its own, beside the running ones: a
 * reload applies it only once all of it was read and checked.
 */
struct conf_set {
	struct config_loader	*ld;
	struct daemon_conf	daemon;
	struct ike_conf		*ike;
	struct l2tp_conf	l2tp;
	struct radius_conf	radius;
	struct diag_watch	*watch;		/* [diagnostics] only */
};

static void conf_set_free(struct conf_set *s)
{
	config_loader_free(s->ld);
	explicit_bzero(&s->radius, sizeof(s->radius));
	ike_conf_destroy(s->ike);
	l2tp_conf_fini(&s->l2tp);
	diag_watch_free(s->watch);
}

/* 0, or -errno with every error logged (file:line). */
static int conf_set_load(struct daemon *d, struct conf_set *s)
{
	struct config_section daemon_s = {
		.name = "daemon", .key = daemon_key, .owner = &s->daemon,
		.keys = daemon_keys,
	};

	memset(s, 0, sizeof(*s));
	daemon_conf_defaults(&s->daemon);
	l2tp_conf_init(&s->l2tp);
	radius_conf_init(&s->radius);
	s->ld = config_loader_new();
	s->ike = ike_conf_new();
	s->watch = diag_watch_new(d->loop, &(struct diag_watch_ops){
		.has_tunnel = has_tunnel, .arg = d });
	if (!s->ld || !s->ike || !s->watch) {
		log_msg(LOG_LVL_ERR, LOG_CORE, "reload: out of memory");
		return -ENOMEM;
	}
	/* the order of register_sections(): the same checks, in order */
	config_register(s->ld, &daemon_s);
	ike_conf_register(s->ld, s->ike);
	l2tp_conf_register(s->ld, &s->l2tp);
	radius_conf_register(s->ld, &s->radius);
	diag_watch_register_config(s->watch, s->ld);
	return config_load(s->ld, d->config_path);
}

/* [daemon] settings fixed at start: named, and kept as they run. */
static void daemon_keep_running(const struct daemon_conf *o,
				struct daemon_conf *n)
{
	static const struct {
		const char	*key;
		size_t		off, len;
	} fixed[] = {
#define F(k, m) { k, offsetof(struct daemon_conf, m), \
		  sizeof(((struct daemon_conf *)0)->m) }
		F("device", device), F("create-device", create_device),
		F("syslog", use_syslog), F("pidfile", pidfile),
		F("control-socket", control_socket), F("lock-file", lock_file),
		F("user", user), F("group", group),
		F("control-group", control_group),
		F("event-queue", event_queue),
#undef F
	};
	unsigned int i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		const char *a = (const char *)o + fixed[i].off;
		char *b = (char *)n + fixed[i].off;

		if (!memcmp(a, b, fixed[i].len))
			continue;
		log_msg(LOG_LVL_WARN, LOG_CONFIG,
			"reload: [daemon] %s changed; needs a restart (systemctl restart l2tpsecd)",
			fixed[i].key);
		memcpy(b, a, fixed[i].len);
	}
}

/*
 * SIGHUP: parse the file into a configuration of its own, check it as
 * the start would (secrets, users, pool, credentials), then apply it
 * part by part for new negotiations; live SAs, tunnels and sessions are
 * not touched. A broken file changes nothing. 0, or -1 when refused.
 */
static int daemon_reload(struct daemon *d)
{
	struct ike_reload *ir = NULL;
	struct l2tp_reload *lr = NULL;
	struct conf_set s;
	int ret = -1;

	if (conf_set_load(d, &s) < 0)
		goto refused;
	if (s.daemon.group[0] && !s.daemon.user[0]) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s: [daemon] group needs user",
			d->config_path);
		goto refused;
	}
	/* the running [daemon] lock-file was derived at start: compare alike */
	if (!s.daemon.lock_file[0])
		snprintf(s.daemon.lock_file, sizeof(s.daemon.lock_file), "%s",
			 d->conf.lock_file);
	if (!d->foreground)
		s.daemon.use_syslog = true;	/* as the start forced it */
	daemon_keep_running(&d->conf, &s.daemon);
	ir = ike_reload_prepare(d->ike, s.ike);
	if (!ir)
		goto refused;
	lr = l2tp_reload_prepare(d->l2tp, &s.l2tp);
	if (!lr)
		goto refused;
	/* all checked: apply */
	ike_reload_commit(d->ike, ir);
	l2tp_reload_commit(d->l2tp, lr);
	diag_watch_reload(d->watch, s.watch);
	/* the client keeps its servers, secret and sockets as started */
	if (!radius_conf_same(&d->radius, &s.radius))
		log_msg(LOG_LVL_WARN, LOG_CONFIG,
			"reload: [radius] changed; needs a restart (systemctl restart l2tpsecd)");
	if (s.daemon.debug != d->conf.debug)
		log_set_level(s.daemon.debug || d->debug_arg ? LOG_LVL_DEBUG :
			      LOG_LVL_INFO);
	if (s.daemon.log_burst != d->conf.log_burst)
		log_set_burst(s.daemon.log_burst);
	d->conf = s.daemon;
	log_msg(LOG_LVL_INFO, LOG_CORE, "reload: %s applied", d->config_path);
	ret = 0;
	goto out;
refused:
	ike_reload_abort(ir);
	log_msg(LOG_LVL_ERR, LOG_CONFIG,
		"reload: %s refused; the running configuration is kept unchanged",
		d->config_path);
out:
	conf_set_free(&s);
	return ret;
}

/* ---- --check-config ------------------------------------------------------- */

struct check_count {
	unsigned int	errors, warnings;
};

static void check_sink(void *arg, enum log_level lvl, const char *line)
{
	struct check_count *c = arg;

	if (lvl == LOG_LVL_ERR)
		c->errors++;
	else if (lvl == LOG_LVL_WARN)
		c->warnings++;
	else
		return;		/* what the start would say about itself */
	fprintf(stderr, "%s\n", line);
}

/*
 * [peer NAME] with initiate = yes and [lac NAME] go together: IKE hands
 * the connection to the [lac] of the same name. Either alone is accepted
 * but does not do what it looks like.
 */
static void check_pairs(const struct conf_set *s)
{
	const char *name;
	unsigned int i, j;

	for (i = 0; (name = ike_conf_initiator(s->ike, i)); i++)
		if (!l2tp_conf_lac(&s->l2tp, name))
			log_msg(LOG_LVL_WARN, LOG_CONFIG,
				"[peer %s] initiates, but there is no [lac %s]: IPsec comes up and no L2TP tunnel is started (a [lac] is named after its [peer])",
				name, name);
	for (j = 0; j < s->l2tp.nlacs; j++) {
		for (i = 0; (name = ike_conf_initiator(s->ike, i)); i++)
			if (!strcmp(name, s->l2tp.lacs[j].name))
				break;
		if (!name)
			log_msg(LOG_LVL_WARN, LOG_CONFIG,
				"[lac %s] has no [peer %s] with initiate = yes: it is never used",
				s->l2tp.lacs[j].name, s->l2tp.lacs[j].name);
	}
}

/*
 * What the start would refuse, without starting: the file, then the
 * files it names (secrets: owner, mode; chap-secrets; certificates and
 * key; pool ranges; [lac] password files). Each problem one line on
 * stderr; the last line on stdout says the verdict. Exit 0: it would
 * start (warnings are things accepted but suspicious), 1: it would not.
 */
static int check_config(struct daemon *d)
{
	struct check_count c = { 0 };
	struct conf_set s;
	int ret;

	log_set_sink(check_sink, &c);
	log_set_burst(0);	/* every problem, however many of a kind */
	ret = conf_set_load(d, &s);
	if (!ret) {
		if (s.daemon.group[0] && !s.daemon.user[0])
			log_msg(LOG_LVL_ERR, LOG_CONFIG,
				"%s: [daemon] group needs user", d->config_path);
		ike_conf_check(s.ike);
		l2tp_conf_check(&s.l2tp);
		radius_conf_load_secret(&s.radius);
		check_pairs(&s);
	}
	conf_set_free(&s);
	log_set_sink(NULL, NULL);
	if (ret || c.errors) {
		printf("%s: %u error%s, %u warning%s: would not start\n",
		       d->config_path, c.errors ? c.errors : 1,
		       c.errors == 1 || !c.errors ? "" : "s", c.warnings,
		       c.warnings == 1 ? "" : "s");
		return 1;
	}
	if (c.warnings)
		printf("%s: OK, %u warning%s\n", d->config_path, c.warnings,
		       c.warnings == 1 ? "" : "s");
	else
		printf("%s: OK\n", d->config_path);
	return 0;
}

/* ---- signals ------------------------------------------------------------- */

static void on_signal(void *arg, int fd, uint32_t events)
{
	struct daemon *d = arg;
	struct signalfd_siginfo si;

	(void)events;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_msg(LOG_LVL_INFO, LOG_CORE, "%s: shutting down",
				strsignal((int)si.ssi_signo));
			loop_stop(d->loop);
			break;
		case SIGHUP:
			log_msg(LOG_LVL_INFO, LOG_CORE, "SIGHUP: reloading %s",
				d->config_path);
			readiness_reloading(&d->ready, "reloading");
			daemon_reload(d);
			readiness_ready(&d->ready, "running");
			break;
		default:
			break;
		}
	}
}

static int signals_init(struct daemon *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0)
		return -errno;
	return loop_add_fd(d->loop, d->sigfd, EPOLLIN, on_signal, d);
}

/* ---- start --------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: l2tpsecd [-c FILE] [-f] [-d] [--check-config]\n"
		"  -c, --config FILE   configuration (default " DEFAULT_CONFIG ")\n"
		"  -f, --foreground    stay in the foreground, log to stderr\n"
		"  -d, --debug         debug messages\n"
		"      --check-config  read the configuration, report, exit\n"
		"  -V, --version\n");
}

/* The pid file the forking mode writes (systemd's units run with -f). */
static void write_pidfile(const struct daemon_conf *c)
{
	FILE *f;

	if (!c->pidfile[0])
		return;
	f = fopen(c->pidfile, "we");
	if (!f) {
		log_msg(LOG_LVL_WARN, LOG_CORE, "pidfile %s: %s", c->pidfile,
			strerror(errno));
		return;
	}
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
}

/*
 * The lock file of a configuration: next to its control socket (two
 * daemons with one control socket would fight over it anyway), else in
 * /run, named after the device.
 */
static void lock_path(struct daemon_conf *c)
{
	if (c->control_socket[0])
		snprintf(c->lock_file, sizeof(c->lock_file), "%s.lock",
			 c->control_socket);
	else
		snprintf(c->lock_file, sizeof(c->lock_file),
			 "/run/l2tpsec/%s.lock", c->device);
}

static bool under_runtime_dir(const char *path)
{
	return !strncmp(path, RUNTIME_DIR "/", strlen(RUNTIME_DIR "/"));
}

/*
 * The default control socket, lock and pid files live in /run/l2tpsec
 * (systemd's RuntimeDirectory=, or tools/install's tmpfiles.d entry,
 * makes it at boot); started otherwise, the daemon makes it itself.
 * 0 when it is a directory, else -1 with the cause logged.
 */
static int runtime_dir_make(const struct daemon_conf *c)
{
	struct stat st;

	if (!under_runtime_dir(c->lock_file) &&
	    !under_runtime_dir(c->control_socket) &&
	    !under_runtime_dir(c->pidfile))
		return 0;
	if (mkdir(RUNTIME_DIR, 0755) < 0 && errno != EEXIST)
		goto fail;
	if (lstat(RUNTIME_DIR, &st) < 0)
		goto fail;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		goto fail;
	}
	return 0;
fail:
	log_msg(LOG_LVL_ERR, LOG_CORE,
		"runtime directory %s: %s; not started (make it a directory, or set control-socket, lock-file and pidfile elsewhere)",
		RUNTIME_DIR, strerror(errno));
	return -1;
}

static void register_sections(struct daemon *d)
{
	struct config_section daemon_s = {
		.name = "daemon",
		.key = daemon_key,
		.owner = &d->conf,
		.keys = daemon_keys,
	};

	config_register(d->cfg, &daemon_s);
	ike_register_config(d->ike, d->cfg);
	l2tp_register_config(d->l2tp, d->cfg);
	radius_conf_register(d->cfg, &d->radius);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kmod_handlers kh;
	struct ike_hooks ih;
	struct daemon d;
	bool check = false, debug = false;
	int opt, ret, status = 1;

	memset(&d, 0, sizeof(d));
	d.sigfd = -1;
	d.ready.pipe_fd = -1;
	d.config_path = DEFAULT_CONFIG;
	daemon_conf_defaults(&d.conf);
	radius_conf_init(&d.radius);
	while ((opt = getopt_long(argc, argv, "c:fdVh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': d.config_path = optarg; break;
		case 'f': d.foreground = true; break;
		case 'd': debug = true; break;
		case 'C': check = true; break;
		case 'V': printf("l2tpsecd %s\n", L2TPSEC_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	log_init("l2tpsecd", debug ? LOG_LVL_DEBUG : LOG_LVL_INFO, 0);
	d.debug_arg = debug;

	ih = (struct ike_hooks){
		.peer_up = on_peer_up, .peer_down = on_peer_down, .arg = &d,
	};
	d.loop = loop_new();
	d.cfg = config_loader_new();
	if (!d.loop || !d.cfg)
		goto out;
	/* the peers' last failures, for l2tpsec status (common/failrec.h) */
	d.failures = calloc(1, sizeof(*d.failures));
	if (!d.failures)
		goto out;
	l2_fail_set_default(d.failures);
	d.ike = ike_new(d.loop, &ih);
	d.l2tp = l2tp_new(d.loop);
	d.watch = diag_watch_new(d.loop, &(struct diag_watch_ops){
		.has_tunnel = has_tunnel, .arg = &d });
	if (!d.ike || !d.l2tp || !d.watch)
		goto out;
	if (check) {
		status = check_config(&d);
		goto out;
	}
	register_sections(&d);
	diag_watch_register_config(d.watch, d.cfg);
	if (config_load(d.cfg, d.config_path) < 0) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s: not started",
			d.config_path);
		goto out;
	}
	if (d.conf.group[0] && !d.conf.user[0]) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG,
			"%s: [daemon] group needs user; not started",
			d.config_path);
		goto out;
	}
	/* read while we are root; a reload names a changed [radius] only */
	if (radius_conf_load_secret(&d.radius) < 0 ||
	    l2tp_set_radius(d.l2tp, &d.radius) < 0) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s: not started",
			d.config_path);
		goto out;
	}
	if (d.conf.debug)
		debug = true;
	if (!d.foreground)
		d.conf.use_syslog = true;
	log_init("l2tpsecd", debug ? LOG_LVL_DEBUG : LOG_LVL_INFO,
		 d.conf.use_syslog);
	log_set_burst(d.conf.log_burst);
	d.log_tick = loop_timer_new(d.loop, on_log_tick, &d);
	if (!d.log_tick)
		goto out;
	loop_timer_arm(d.log_tick, 1000);
	/*
	 * Before the module, an address or a port is touched: a second
	 * daemon with this configuration stops here and changes nothing.
	 */
	if (!d.conf.lock_file[0])
		lock_path(&d.conf);
	if (runtime_dir_make(&d.conf) < 0)
		goto out;
	d.instance = instance_claim(d.conf.lock_file, d.conf.control_socket);
	if (!d.instance)
		goto out;
	if (!d.foreground) {
		ret = readiness_daemonize(&d.ready);
		if (ret < 0) {
			log_msg(LOG_LVL_ERR, LOG_CORE, "daemonize: %s; not started",
				strerror(-ret));
			goto out;
		}
		write_pidfile(&d.conf);
	}
	instance_set_pid(d.instance);
	if (signals_init(&d) < 0) {
		log_msg(LOG_LVL_ERR, LOG_CORE, "signals: %s", strerror(errno));
		goto out;
	}
	kh = (struct kmod_handlers){
		.l2tp_ctrl = on_l2tp_ctrl, .ppp = on_ppp, .event = on_event,
		.arg = &d,
	};
	d.kmod = kmod_open(d.loop, d.conf.device, d.conf.create_device, &kh);
	if (!d.kmod)
		goto out;
	/* L2TP first: a peer IKE brings up finds it ready. */
	if (l2tp_start(d.l2tp, d.kmod) < 0)
		goto out;
	if (d.conf.control_socket[0]) {
		d.ctl = ctl_open(d.loop, d.conf.control_socket, d.l2tp, d.ike,
				 d.conf.device);
		if (!d.ctl)
			goto out;
		ctl_set_event_queue(d.ctl, d.conf.event_queue);
		if (d.conf.control_group[0] &&
		    ctl_set_read_group(d.ctl, d.conf.control_group) < 0)
			goto out;
	}
	{
		uint32_t size;
		bool set;
		const char *hf = diag_watch_history_file(d.watch, &size, &set);

		/* before privileges go: the file may be root's */
		if (*hf)
			d.history = diag_history_open(hf, size, set);
		ctl_set_history(d.history);
		l2tp_diag_set_session_end(on_session_end, d.history);
	}
	ret = ike_start(d.ike, d.kmod);
	if (ret < 0)
		goto out;
	/* Ports bound, module open, control socket listening. */
	if (d.conf.user[0] &&
	    instance_drop_privileges(d.conf.user, d.conf.group) < 0)
		goto out;
	log_msg(LOG_LVL_INFO, LOG_CORE, "l2tpsecd %s started on %s",
		L2TPSEC_VERSION, d.conf.device);
	diag_watch_set_device(d.watch, d.conf.device, NULL);
	l2tp_diag_set_session_up(on_session_up, d.watch);
	/* failure class 10, for a server (it has a pool) */
	if (l2tp_get_conf(d.l2tp)->have_pool_section)
		diag_watch_check_forwarding(d.watch, NULL, NULL);
	readiness_ready(&d.ready, "running");
	ret = loop_run(d.loop);
	readiness_stopping(&d.ready, "shutting down");
	if (ret < 0)
		log_msg(LOG_LVL_ERR, LOG_CORE, "event loop: %s", strerror(-ret));
	status = ret < 0;
out:
	ctl_close(d.ctl);
	/*
	 * L2TP before IKE: StopCCN still goes out over the SAs, then IKE
	 * sends its DELETEs (its peer_down finds d.l2tp gone).
	 */
	l2tp_free(d.l2tp);
	d.l2tp = NULL;
	l2tp_diag_set_session_end(NULL, NULL);
	ctl_set_history(NULL);
	diag_history_close(d.history);
	l2tp_diag_set_session_up(NULL, NULL);
	diag_watch_free(d.watch);
	d.watch = NULL;
	if (d.ike)
		ike_shutdown(d.ike);
	ike_free(d.ike);
	kmod_close(d.kmod);
	if (d.sigfd >= 0) {
		loop_del_fd(d.loop, d.sigfd);
		close(d.sigfd);
	}
	loop_timer_free(d.log_tick);
	config_loader_free(d.cfg);
	explicit_bzero(&d.radius, sizeof(d.radius));
	loop_free(d.loop);
	if (!d.foreground && !check && d.conf.pidfile[0])
		unlink(d.conf.pidfile);
	instance_release(d.instance);
	l2_fail_set_default(NULL);
	free(d.failures);
	return status;
}
