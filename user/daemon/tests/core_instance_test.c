// SPDX-License-Identifier: GPL-2.0
/*
 * One daemon per configuration (instance_claim: the lock file, a live
 * control socket, a lock file planted by someone else) and the drop to an
 * unprivileged user with CAP_NET_ADMIN and CAP_NET_BIND_SERVICE only
 * (instance_drop_privileges, as root in a child: /proc/self/status).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "instance.h"
#include "log.h"

static char last[1100];
static int lines;
static char dir[] = "/tmp/l2tpsec-instance-XXXXXX";

static void sink(void *arg, enum log_level lvl, const char *line)
{
	(void)arg;
	(void)lvl;
	snprintf(last, sizeof(last), "%s", line);
	lines++;
}

static void path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static int listening(const char *p)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_true(strlen(p) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, p, strlen(p) + 1);
	unlink(p);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);
	return fd;
}

/* The same lock file twice: the second is refused, naming our pid. */
static void test_lock_held(void **state)
{
	char lock[256], ctl[256], want[64];
	struct instance *a, *b;

	(void)state;
	path(lock, sizeof(lock), "a.lock");
	path(ctl, sizeof(ctl), "a.sock");
	a = instance_claim(lock, ctl);
	assert_non_null(a);
	lines = 0;
	b = instance_claim(lock, ctl);
	assert_null(b);
	assert_int_equal(lines, 1);
	snprintf(want, sizeof(want), "another l2tpsecd (pid %d)", (int)getpid());
	assert_non_null(strstr(last, want));
	assert_non_null(strstr(last, lock));
	assert_non_null(strstr(last, "nothing changed"));
	/* released: the next one gets it */
	instance_release(a);
	b = instance_claim(lock, ctl);
	assert_non_null(b);
	instance_release(b);
}

/* A daemon without our lock file answering on the control socket. */
static void test_ctl_alive(void **state)
{
	char lock[256], ctl[256], want[64];
	struct instance *a;
	int fd;

	(void)state;
	path(lock, sizeof(lock), "b.lock");
	path(ctl, sizeof(ctl), "b.sock");
	fd = listening(ctl);
	assert_int_equal(instance_ctl_pid(ctl), getpid());
	lines = 0;
	a = instance_claim(lock, ctl);
	assert_null(a);
	assert_int_equal(lines, 1);
	snprintf(want, sizeof(want), "another l2tpsecd (pid %d)", (int)getpid());
	assert_non_null(strstr(last, want));
	assert_non_null(strstr(last, "answers on the control socket"));
	/* gone: a stale socket file is no obstacle */
	close(fd);
	assert_int_equal(instance_ctl_pid(ctl), 0);
	a = instance_claim(lock, ctl);
	assert_non_null(a);
	instance_release(a);
	/* no control socket at all */
	assert_int_equal(instance_ctl_pid(""), 0);
	assert_int_equal(instance_ctl_pid(NULL), 0);
}

/* A lock file planted as a symlink, or not a regular file: refused. */
static void test_lock_planted(void **state)
{
	char lock[256], target[256];

	(void)state;
	path(lock, sizeof(lock), "c.lock");
	path(target, sizeof(target), "c.target");
	assert_int_equal(symlink(target, lock), 0);
	lines = 0;
	assert_null(instance_claim(lock, ""));
	assert_int_equal(lines, 1);
	assert_non_null(strstr(last, "lock file"));
	assert_int_equal(access(target, F_OK), -1);	/* not created */
	unlink(lock);
	assert_int_equal(mkdir(lock, 0700), 0);
	assert_null(instance_claim(lock, ""));
	rmdir(lock);
	assert_null(instance_claim("", ""));
}

static unsigned long long status_hex(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtoull(p + strlen(key), NULL, 16) : ~0ULL;
}

/*
 * Root of a user namespace that maps only itself (unshare -r) cannot
 * become nobody: the drop is tested where every uid is mapped.
 */
static bool full_uid_map(void)
{
	unsigned long inside, outside, count = 0;
	FILE *f = fopen("/proc/self/uid_map", "re");

	if (!f)
		return false;
	if (fscanf(f, "%lu %lu %lu", &inside, &outside, &count) != 3)
		count = 0;
	fclose(f);
	return count == 4294967295UL;
}

/* As root: the child ends up as nobody with exactly the two caps. */
static void test_drop(void **state)
{
	struct passwd *pw = getpwnam("nobody");
	int status;
	pid_t pid;

	(void)state;
	lines = 0;
	assert_int_equal(instance_drop_privileges("no-such-user-l2tpsec", NULL),
			 -ENOENT);
	assert_non_null(strstr(last, "no such user"));
	if (geteuid() != 0 || !pw || !full_uid_map()) {
		skip();
		return;
	}
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		char buf[4096], want[64];
		FILE *f;
		size_t n;

		if (instance_drop_privileges("nobody", NULL))
			_exit(10);
		f = fopen("/proc/self/status", "re");
		if (!f)
			_exit(11);
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		snprintf(want, sizeof(want), "\nUid:\t%u\t%u\t%u\t%u\n",
			 pw->pw_uid, pw->pw_uid, pw->pw_uid, pw->pw_uid);
		if (!strstr(buf, want))
			_exit(12);
		/* CAP_NET_ADMIN (12) and CAP_NET_BIND_SERVICE (10) */
		if (status_hex(buf, "\nCapEff:\t") != 0x1400 ||
		    status_hex(buf, "\nCapPrm:\t") != 0x1400 ||
		    status_hex(buf, "\nCapBnd:\t") != 0x1400 ||
		    status_hex(buf, "\nCapInh:\t") != 0)
			_exit(13);
		if (!strstr(buf, "\nNoNewPrivs:\t1\n"))
			_exit(14);
		if (setuid(0) == 0 || getuid() == 0)
			_exit(15);
		/* still allowed: a privileged port */
		{
			struct sockaddr_in sin = { .sin_family = AF_INET };
			int fd = socket(AF_INET, SOCK_DGRAM, 0);

			sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			sin.sin_port = htons(999);
			if (fd < 0 || bind(fd, (struct sockaddr *)&sin,
					   sizeof(sin)))
				_exit(16);
			close(fd);
		}
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static int setup(void **state)
{
	(void)state;
	log_set_sink(sink, NULL);
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	log_set_sink(NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) < 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_held),
		cmocka_unit_test(test_ctl_alive),
		cmocka_unit_test(test_lock_planted),
		cmocka_unit_test(test_drop),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
