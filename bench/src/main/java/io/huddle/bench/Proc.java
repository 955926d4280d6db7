package io.huddle.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** CPU time and RSS of a process from /proc (Linux): the server's, and the generator's own. */
final class Proc {
  private static final long TICKS_PER_SECOND = clockTicks();

  /** One reading: CPU seconds (user+sys, all threads), RSS in KiB, or -1 when unreadable. */
  record Sample(long atNanos, double cpuSeconds, long rssKib) {
    boolean valid() {
      return cpuSeconds >= 0;
    }
  }

  /** One pid, or several server processes (nodes) summed: CPU, RSS and live heap add up. */
  private final java.util.List<String> pids;

  private Proc(java.util.List<String> pids) {
    this.pids = pids;
  }

  static Proc of(long pid) {
    return of(java.util.List.of(pid));
  }

  static Proc of(java.util.List<Long> pids) {
    return new Proc(pids.stream().map(p -> Long.toString(p)).toList());
  }

  static Proc self() {
    return new Proc(java.util.List.of("self"));
  }

  boolean exists() {
    return pids.stream().allMatch(pid -> Files.isReadable(Path.of("/proc", pid, "stat")));
  }

  Sample sample() {
    return new Sample(System.nanoTime(), cpuSeconds(), rssKib());
  }

  double cpuSeconds() {
    double sum = 0;
    for (String pid : pids) {
      double c = cpuSeconds(pid);
      if (c < 0) {
        return -1;
      }
      sum += c;
    }
    return sum;
  }

  private static double cpuSeconds(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"), StandardCharsets.US_ASCII);
      // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
      return (double) ticks / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  long rssKib() {
    long sum = 0;
    for (String pid : pids) {
      long r = rssKib(pid);
      if (r < 0) {
        return -1;
      }
      sum += r;
    }
    return sum;
  }

  private static long rssKib(String pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return -1;
  }

  /**
   * CPU seconds (user+sys) of every process on the machine, by pid. /proc/stat is not used: its
   * tick-sampled counters miss most of a bursty load on an otherwise idle tickless kernel, while
   * per-process times are precise. Children's times (cutime) are left out: a build that reaps a
   * long-running test JVM would add all of that JVM's past CPU at once. So processes that end
   * inside the window are missed: the figure is a lower bound.
   */
  static java.util.Map<Long, Double> allProcesses() {
    java.util.Map<Long, Double> cpu = new java.util.HashMap<>();
    try (java.util.stream.Stream<Path> entries = Files.list(Path.of("/proc"))) {
      entries.forEach(
          dir -> {
            String name = dir.getFileName().toString();
            if (!name.chars().allMatch(Character::isDigit)) {
              return;
            }
            try {
              String stat = Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII);
              String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
              long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
              cpu.put(Long.parseLong(name), (double) ticks / TICKS_PER_SECOND);
            } catch (IOException | RuntimeException e) {
              // the process ended meanwhile
            }
          });
    } catch (IOException e) {
      return java.util.Map.of();
    }
    return cpu;
  }

  /** CPU seconds that processes other than {@code excluded} used between two scans. */
  static double othersBetween(
      java.util.Map<Long, Double> start,
      java.util.Map<Long, Double> end,
      java.util.Set<Long> excluded) {
    double sum = 0;
    for (java.util.Map.Entry<Long, Double> e : end.entrySet()) {
      if (!excluded.contains(e.getKey())) {
        sum += Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), 0.0));
      }
    }
    return sum;
  }

  private static final java.util.regex.Pattern HEAP_USED =
      java.util.regex.Pattern.compile(
          "^\\s*(def new generation|tenured generation|garbage-first heap|PSYoungGen|ParOldGen"
              + "|Shenandoah Heap|ZHeap)\\b.*?used (\\d+)K");

  /**
   * The server's live heap in KiB after a full GC it is asked for (jcmd GC.run, then GC.heap_info);
   * -1 when jcmd is missing or fails. Only for idle phases: it pauses the server.
   */
  long liveHeapKib() {
    long sum = 0;
    for (String pid : pids) {
      long h = liveHeapKib(pid);
      if (h < 0) {
        return -1;
      }
      sum += h;
    }
    return sum;
  }

  private static long liveHeapKib(String pid) {
    if (pid.equals("self") || !isHotSpot(pid) || run(pid, "GC.run") == null) {
      return -1;
    }
    String info = run(pid, "GC.heap_info");
    if (info == null) {
      return -1;
    }
    long used = 0;
    boolean found = false;
    for (String line : info.split("\n")) {
      java.util.regex.Matcher m = HEAP_USED.matcher(line);
      if (m.find()) {
        used += Long.parseLong(m.group(2));
        found = true;
      }
    }
    return found ? used : -1;
  }

  /**
   * Whether the process runs in a HotSpot JVM (libjvm mapped). jcmd must not be pointed at anything
   * else: to attach, it sends the process SIGQUIT, which ends a Go program or a native executable.
   */
  static boolean isHotSpot(String pid) {
    try (java.util.stream.Stream<String> maps = Files.lines(Path.of("/proc", pid, "maps"))) {
      return maps.anyMatch(line -> line.endsWith("/libjvm.so"));
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  private static String run(String pid, String command) {
    try {
      Process p = new ProcessBuilder("jcmd", pid, command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** This JVM's garbage collections so far: {count, milliseconds}. */
  static long[] ownGc() {
    long count = 0;
    long millis = 0;
    for (java.lang.management.GarbageCollectorMXBean gc :
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new long[] {count, millis};
  }

  /** The 1-minute load average, or -1. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        return Long.parseLong(out.trim());
      }
      p.destroyForcibly();
    } catch (IOException | RuntimeException e) {
      // fall through
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
