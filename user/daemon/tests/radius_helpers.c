// SPDX-License-Identifier: GPL-2.0
/*
 * A real FreeRADIUS for the native tests (radius_client_test, the l2tp
 * glue's RADIUS logins): see radius_helpers.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "radius_helpers.h"

#define FREERADIUS	"/usr/sbin/freeradius"

void private_netns(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd;

	if (unshare(CLONE_NEWNET) < 0)
		return;		/* already in one (make check's unshare -rn) */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
}

/* A UDP socket on a free port of 127.0.0.1; its port in @port. */
int udp_bound(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &al) < 0)
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

uint16_t free_port(void)
{
	uint16_t p = 0;
	int fd = udp_bound(&p);

	if (fd >= 0)
		close(fd);
	return p;
}

bool port_taken(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool taken;

	taken = bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 &&
		errno == EADDRINUSE;
	close(fd);
	return taken;
}

static void write_file(const char *dir, const char *name,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void write_file(const char *dir, const char *name,
		       const char *fmt, ...)
{
	char path[256];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

#define AUTH_SECTIONS \
	"	authorize {\n		files\n		chap\n		mschap\n		pap\n	}\n" \
	"	authenticate {\n" \
	"		Auth-Type PAP {\n			pap\n		}\n" \
	"		Auth-Type CHAP {\n			chap\n		}\n" \
	"		Auth-Type MS-CHAP {\n			mschap\n		}\n	}\n"

static void write_config(const char *dir, uint16_t port_ok,
			 uint16_t port_nomac)
{
	write_file(dir, "users",
		   "alice	Cleartext-Password := \"wonderland\"\n"
		   "	Reply-Message := \"Hello alice\", Framed-IP-Address := 10.99.0.77,\n"
		   "	Session-Timeout := 3600, Idle-Timeout := 600, Class := \"grp-a\",\n"
		   "	Framed-MTU := 1400\n\n"
		   "bob	Cleartext-Password := \"builder\", Auth-Type := Reject\n"
		   "	Reply-Message := \"Your account is locked\"\n");
	write_file(dir, "radiusd.conf",
		   "prefix = /usr\nexec_prefix = /usr\nsysconfdir = /etc\n"
		   "localstatedir = %1$s\nsbindir = /usr/sbin\nlogdir = %1$s\n"
		   "raddbdir = %1$s\nradacctdir = %1$s\nname = freeradius\n"
		   "confdir = %1$s\nmodconfdir = %1$s\nrun_dir = %1$s\n"
		   "db_dir = %1$s\nlibdir = /usr/lib/freeradius\n"
		   "pidfile = %1$s/radiusd.pid\nmax_request_time = 30\n"
		   "cleanup_delay = 5\nmax_requests = 1024\nhostname_lookups = no\n"
		   "log {\n	destination = stdout\n	auth = yes\n}\n"
		   "security {\n	allow_core_dumps = no\n	max_attributes = 200\n"
		   "	reject_delay = 0\n	status_server = no\n}\n"
		   "thread pool {\n	start_servers = 2\n	max_servers = 4\n"
		   "	min_spare_servers = 1\n	max_spare_servers = 2\n"
		   "	max_requests_per_server = 0\n}\n"
		   "client local {\n	ipaddr = 127.0.0.1\n	secret = " FREERADIUS_SECRET "\n"
		   "	require_message_authenticator = yes\n}\n"
		   "modules {\n	pap {\n	}\n	chap {\n	}\n	mschap {\n	}\n"
		   "	files {\n		filename = %1$s/users\n	}\n}\n"
		   "server default {\n"
		   "	listen {\n		type = auth\n		ipaddr = 127.0.0.1\n"
		   "		port = %2$u\n	}\n"
		   AUTH_SECTIONS
		   "	post-auth {\n"
		   "		update reply {\n			Message-Authenticator := 0x00\n		}\n"
		   "		Post-Auth-Type REJECT {\n"
		   "			update reply {\n				Message-Authenticator := 0x00\n			}\n"
		   "		}\n	}\n}\n"
		   "server nomac {\n"
		   "	listen {\n		type = auth\n		ipaddr = 127.0.0.1\n"
		   "		port = %3$u\n	}\n"
		   AUTH_SECTIONS
		   "}\n", dir, port_ok, port_nomac);
}

int freeradius_start(struct freeradius *f)
{
	char log[300];
	int i, fd;

	memset(f, 0, sizeof(*f));
	f->pid = -1;
	if (access(FREERADIUS, X_OK)) {
		fprintf(stderr, "# %s missing: apt-get install freeradius (tools/install-deps.sh)\n",
			FREERADIUS);
		return -1;
	}
	private_netns();
	snprintf(f->dir, sizeof(f->dir), "/tmp/l2tpsec-radius-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->port_ok = free_port();
	f->port_nomac = free_port();
	assert_true(f->port_ok && f->port_nomac);
	write_config(f->dir, f->port_ok, f->port_nomac);
	snprintf(log, sizeof(log), "%s/freeradius.log", f->dir);
	f->pid = fork();
	assert_true(f->pid >= 0);
	if (f->pid == 0) {
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(FREERADIUS, FREERADIUS, "-f", "-l", "stdout", "-d",
		      f->dir, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 300; i++) {
		if (port_taken(f->port_ok) && port_taken(f->port_nomac))
			return 0;
		if (waitpid(f->pid, NULL, WNOHANG) == f->pid) {
			f->pid = -1;
			break;
		}
		usleep(50 * 1000);
	}
	fprintf(stderr, "# FreeRADIUS did not start; see %s\n", log);
	return -1;
}

int freeradius_stop(struct freeradius *f)
{
	char cmd[400];

	if (f->pid > 0) {
		kill(f->pid, SIGTERM);
		waitpid(f->pid, NULL, 0);
		f->pid = -1;
	}
	if (f->dir[0] && !getenv("L2TPSEC_TEST_KEEP")) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
		if (system(cmd))
			return -1;
	}
	return 0;
}
