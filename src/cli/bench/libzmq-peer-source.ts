/**
 * The native peer of `zmtp bench --against libzmq`: a C program over libzmq, in the manner of
 * libzmq's own perf/local_thr, remote_thr and local_lat, remote_lat, speaking the bench's
 * protocol (the first payload byte tags data, warm-up and end; see workloads.ts). It declares
 * the few libzmq functions it calls instead of including zmq.h, so that a runtime libzmq
 * (Debian's libzmq5) and a C compiler are enough: no -dev package.
 *
 *   peer recv WORKLOAD ADDRESS                  binds, prints "endpoint ..." then "warm" at the
 *                                               first warm-up, and a result line at the end
 *   peer send WORKLOAD ENDPOINT SIZE COUNT MS    connects and sends COUNT messages (0: for MS ms)
 *
 * The latency workloads (req-rep, dealer-router-latency) echo every message whole on the receiver,
 * a ROUTER's routing id included, and time one round trip at a time on the sender.
 *
 * The result line is JSON: messages, seconds, p50Us, p99Us (latency workloads), cpuMicros
 * (getrusage: all threads, libzmq's I/O thread included) and peakRssKB.
 */
export const LIBZMQ_PEER_SOURCE = String.raw`
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

typedef struct zmq_msg_t { unsigned char _[64]; } __attribute__((aligned(8))) zmq_msg_t;
void *zmq_ctx_new(void);
int zmq_ctx_term(void *context);
void *zmq_socket(void *context, int type);
int zmq_close(void *socket);
int zmq_setsockopt(void *socket, int option, const void *value, size_t length);
int zmq_getsockopt(void *socket, int option, void *value, size_t *length);
int zmq_bind(void *socket, const char *endpoint);
int zmq_connect(void *socket, const char *endpoint);
int zmq_send(void *socket, const void *buffer, size_t length, int flags);
int zmq_msg_init(zmq_msg_t *msg);
int zmq_msg_recv(zmq_msg_t *msg, void *socket, int flags);
int zmq_msg_send(zmq_msg_t *msg, void *socket, int flags);
int zmq_msg_close(zmq_msg_t *msg);
void *zmq_msg_data(zmq_msg_t *msg);
size_t zmq_msg_size(const zmq_msg_t *msg);
int zmq_msg_more(const zmq_msg_t *msg);
int zmq_errno(void);
const char *zmq_strerror(int errnum);

enum { REQ = 3, REP = 4, DEALER = 5, ROUTER = 6, PULL = 7, PUSH = 8 };
enum { LINGER = 17, LAST_ENDPOINT = 32, SNDMORE = 2 };
enum { TAG_DATA = 0, TAG_WARMUP = 1, TAG_END = 2 };

static void fail(const char *what) {
  fprintf(stderr, "libzmq peer: %s: %s\n", what, zmq_strerror(zmq_errno()));
  exit(1);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_micros(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

static long peak_rss_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

static void result(long messages, double seconds, double p50, double p99, double cpu) {
  if (p50 < 0)
    printf("{\"messages\":%ld,\"seconds\":%.9f,\"p50Us\":null,\"p99Us\":null,\"cpuMicros\":%.0f,\"peakRssKB\":%ld}\n",
           messages, seconds, cpu, peak_rss_kb());
  else
    printf("{\"messages\":%ld,\"seconds\":%.9f,\"p50Us\":%.3f,\"p99Us\":%.3f,\"cpuMicros\":%.0f,\"peakRssKB\":%ld}\n",
           messages, seconds, p50, p99, cpu, peak_rss_kb());
  fflush(stdout);
}

/* Receives one whole message; returns the tag (first byte of its last frame), echoing it if asked. */
static int receive(void *socket, int echo) {
  int tag = -1;
  for (;;) {
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    if (zmq_msg_recv(&msg, socket, 0) < 0) fail("receive");
    int more = zmq_msg_more(&msg);
    if (!more) tag = zmq_msg_size(&msg) > 0 ? ((unsigned char *)zmq_msg_data(&msg))[0] : -1;
    if (echo) {
      if (zmq_msg_send(&msg, socket, more ? SNDMORE : 0) < 0) fail("send");
    } else {
      zmq_msg_close(&msg);
    }
    if (!more) return tag;
  }
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double percentile(double *sorted, long n, double p) {
  if (n == 0) return 0;
  long i = (long)(p * n + 0.999999999) - 1;
  if (i < 0) i = 0;
  if (i >= n) i = n - 1;
  return sorted[i];
}

static int type_of(const char *workload, int sender) {
  if (strcmp(workload, "push-pull") == 0) return sender ? PUSH : PULL;
  if (strcmp(workload, "dealer-router") == 0) return sender ? DEALER : ROUTER;
  if (strcmp(workload, "req-rep") == 0) return sender ? REQ : REP;
  if (strcmp(workload, "dealer-router-latency") == 0) return sender ? DEALER : ROUTER;
  fprintf(stderr, "libzmq peer: unknown workload %s\n", workload);
  exit(2);
}

static void send_tagged(void *socket, char *payload, size_t size, int tag) {
  payload[0] = (char)tag;
  if (zmq_send(socket, payload, size, 0) < 0) fail("send");
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: peer recv WORKLOAD ADDRESS | peer send WORKLOAD ENDPOINT SIZE COUNT MS\n");
    return 2;
  }
  int sender = strcmp(argv[1], "send") == 0;
  int type = type_of(argv[2], sender);
  int latency = type == REQ || type == REP || strcmp(argv[2], "dealer-router-latency") == 0;
  void *context = zmq_ctx_new();
  void *socket = zmq_socket(context, type);
  /* Senders (and an echo's last reply) keep the default linger: what is queued at close is delivered. */
  int zero = 0;
  if (!sender && !latency) zmq_setsockopt(socket, LINGER, &zero, sizeof zero);
  if (!sender) {
    if (zmq_bind(socket, argv[3]) < 0) fail("bind");
    char endpoint[256];
    size_t length = sizeof endpoint;
    zmq_getsockopt(socket, LAST_ENDPOINT, endpoint, &length);
    printf("endpoint %s\n", endpoint);
    fflush(stdout);
    int warm = 0;
    long messages = 0;
    double started = 0, cpu = 0;
    for (;;) {
      int tag = receive(socket, latency);
      if (tag == TAG_DATA) {
        if (messages++ == 0) {
          started = now();
          cpu = cpu_micros();
        }
      } else if (tag == TAG_WARMUP && !warm) {
        warm = 1;
        printf("warm\n");
        fflush(stdout);
      } else if (tag == TAG_END) {
        result(messages, now() - started, -1, -1, cpu_micros() - cpu);
        break;
      }
    }
  } else {
    if (argc < 7) return 2;
    if (zmq_connect(socket, argv[3]) < 0) fail("connect");
    size_t size = (size_t)atol(argv[4]);
    long count = atol(argv[5]);
    double duration = atol(argv[6]) / 1000.0;
    char *payload = calloc(size > 0 ? size : 1, 1);
    long burst = (64L << 20) / (long)size;
    if (burst > 10000) burst = 10000;
    if (latency) {
      long rounds = burst < 2000 ? burst : 2000;
      for (long i = 0; i < rounds; i++) {
        send_tagged(socket, payload, size, TAG_WARMUP);
        receive(socket, 0);
      }
      long capacity = count > 0 ? count : 65536, n = 0;
      double *samples = malloc(capacity * sizeof(double));
      double started = now(), before = started, cpu = cpu_micros();
      while (count == 0 || n < count) {
        send_tagged(socket, payload, size, TAG_DATA);
        receive(socket, 0);
        double after = now();
        if (n == capacity) samples = realloc(samples, (capacity *= 2) * sizeof(double));
        samples[n++] = after - before;
        before = after;
        if (count == 0 && after - started >= duration) break;
      }
      double seconds = before - started, used = cpu_micros() - cpu;
      send_tagged(socket, payload, size, TAG_END);
      receive(socket, 0);
      qsort(samples, n, sizeof(double), compare);
      result(n, seconds, percentile(samples, n, 0.5) * 1e6, percentile(samples, n, 0.99) * 1e6, used);
    } else {
      for (long i = 0; i < burst; i++) send_tagged(socket, payload, size, TAG_WARMUP);
      long sent = 0;
      double started = now(), cpu = cpu_micros();
      payload[0] = TAG_DATA;
      if (count > 0) {
        for (; sent < count; sent++)
          if (zmq_send(socket, payload, size, 0) < 0) fail("send");
      } else {
        do {
          for (int i = 0; i < 1024; i++)
            if (zmq_send(socket, payload, size, 0) < 0) fail("send");
          sent += 1024;
        } while (now() - started < duration);
      }
      send_tagged(socket, payload, size, TAG_END);
      result(sent, now() - started, -1, -1, cpu_micros() - cpu);
    }
  }
  zmq_close(socket);
  zmq_ctx_term(context);
  return 0;
}
`;
