import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One bcrypt check at cost 12 with the system's libxcrypt ({@code crypt_rn}), called through the Java 22+ foreign
 * function API: the time of the C implementation that Linux's own password checks use, for comparison with the
 * Java ones of BcryptBenchmark. Run by {@code bash .ci/bench bcrypt} as a single-file program (the project itself
 * compiles for Java 21, which has no final foreign function API); it prints nothing but a note when there is no
 * libcrypt. Same method as JMH's average time: warm-up checks, then the mean of timed batches, median of batches.
 */
public final class LibxcryptCheck {
    private static final String PASSWORD = "securepassword";
    private static final String HASH = "$2b$12$5wixc9Azvlu1vAXV73f0Pe2mHwANHKsBJXM5uHyee9oAck/FNq2L.";
    /** sizeof(struct crypt_data) in libxcrypt's crypt.h: 32768 bytes. */
    private static final long CRYPT_DATA_SIZE = 32768;

    public static void main(String[] args) throws Throwable {
        Path lib = List.of("/usr/lib/x86_64-linux-gnu/libcrypt.so.1", "/lib/x86_64-linux-gnu/libcrypt.so.1",
                           "/usr/lib64/libcrypt.so.1", "/usr/lib/aarch64-linux-gnu/libcrypt.so.1").stream()
                .map(Path::of).filter(Files::exists).findFirst().orElse(null);
        if (lib == null) {
            System.out.println("libxcrypt: no libcrypt.so.1 on this machine, skipped");
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libcrypt = SymbolLookup.libraryLookup(lib, arena);
            // char *crypt_rn(const char *phrase, const char *setting, void *data, int size)
            MethodHandle cryptRn = linker.downcallHandle(libcrypt.find("crypt_rn").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                                          ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MemorySegment phrase = arena.allocateFrom(PASSWORD);
            MemorySegment setting = arena.allocateFrom(HASH);
            MemorySegment data = arena.allocate(CRYPT_DATA_SIZE);
            MemorySegment out = (MemorySegment) cryptRn.invokeExact(phrase, setting, data, (int) CRYPT_DATA_SIZE);
            String result = out.equals(MemorySegment.NULL) ? null
                    : out.reinterpret(128).getString(0);
            if (!HASH.equals(result)) {
                System.out.println("libxcrypt: crypt_rn does not reproduce the hash (" + result + "), skipped");
                return;
            }
            int warmup = 5;
            int batches = 10;
            int perBatch = 2;
            for (int i = 0; i < warmup; i++) {
                out = (MemorySegment) cryptRn.invokeExact(phrase, setting, data, (int) CRYPT_DATA_SIZE);
            }
            double[] ms = new double[batches];
            for (int b = 0; b < batches; b++) {
                long start = System.nanoTime();
                for (int i = 0; i < perBatch; i++) {
                    out = (MemorySegment) cryptRn.invokeExact(phrase, setting, data, (int) CRYPT_DATA_SIZE);
                }
                ms[b] = (System.nanoTime() - start) / 1e6 / perBatch;
            }
            Arrays.sort(ms);
            System.out.printf("libxcrypt crypt_rn (%s, %s...): %.1f ms per check (median of %d batches of %d;"
                                      + " min %.1f, max %.1f)%n",
                              lib, HASH.substring(0, 7), (ms[batches / 2 - 1] + ms[batches / 2]) / 2, batches,
                              perBatch, ms[0], ms[batches - 1]);
        }
    }
}
