import com.sun.tools.attach.VirtualMachine;

/** Loads async-profiler into a running JVM: java bench/perf/Attach.java PID LIB OPTIONS. */
public class Attach {
  public static void main(String[] args) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(args[0]);
    try {
      // jcmd JVMTI.agent_load splits the options at commas; the Attach API passes them whole.
      vm.loadAgentPath(args[1], args[2]);
    } finally {
      vm.detach();
    }
  }
}
