package dev.tokenservice.users;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(4);

    @Test
    void hashMatchesOnlyItsPassword() {
        String hash = hasher.hash("correct horse");
        assertThat(hash, startsWith("$2a$04$"));
        assertThat(PasswordHasher.isWellFormed(hash), is(true));
        assertThat(hasher.matches("correct horse", hash), is(true));
        assertThat(hasher.matches("correct horsE", hash), is(false));
    }

    @Test
    void refusesToHashPasswordsLongerThan72Bytes() {
        String exactly72 = "é".repeat(36);
        assertThat(hasher.matches(exactly72, hasher.hash(exactly72)), is(true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hasher.hash(exactly72 + "a"));
        assertThat(e.getMessage(), containsString("72 bytes"));
    }

    @Test
    void longPasswordNeverMatchesEvenWhenBcryptWouldIgnoreTheTail() {
        String password = "p".repeat(72);
        String hash = hasher.hash(password);
        // bcrypt reads 72 bytes, so this would match without the length check
        assertThat(hasher.matches(password + "anything", hash), is(false));
    }

    @Test
    void acceptsHashesOfOtherBcryptImplementations() {
        String hash = hasher.hash("secret");
        String python = "$2b$" + hash.substring(4);
        String php = "$2y$" + hash.substring(4);
        assertThat(PasswordHasher.isWellFormed(python) && PasswordHasher.isWellFormed(php), is(true));
        assertThat(hasher.matches("secret", python), is(true));
        assertThat(hasher.matches("secret", php), is(true));
    }

    @Test
    void recognisesMalformedHashes() {
        assertThat(PasswordHasher.isWellFormed("plaintext"), is(false));
        assertThat(PasswordHasher.isWellFormed("$2a$03$" + "a".repeat(53)), is(false));
        assertThat(PasswordHasher.isWellFormed("$2x$10$" + "a".repeat(53)), is(false));
        assertThat(PasswordHasher.isWellFormed("$2a$10$" + "a".repeat(52)), is(false));
    }

    @Test
    void refusesCostOutsideBcryptBounds() {
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(3));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(32));
    }

    @Test
    void dummyCheckCostsWhatACheckCosts() {
        // cost 10: about 50 ms a check, which dwarfs everything else
        PasswordHasher slow = new PasswordHasher(10);
        String hash = slow.hash("a password");
        long dummy = 0;
        long real = 0;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            slow.matchNothing("a password");
            dummy += System.nanoTime() - start;
            start = System.nanoTime();
            slow.matches("another password", hash);
            real += System.nanoTime() - start;
        }
        double ratio = (double) dummy / real;
        assertThat("dummy/real time ratio " + ratio, ratio, allOf(greaterThan(0.5), lessThan(2.0)));
        // the dummy hash stands in for a password too long for bcrypt, and matches nothing
        assertThat(slow.matches("p".repeat(73), hash), is(false));
    }

    @Test
    void creatingAHasherComputesNoHash() {
        long start = System.nanoTime();
        new PasswordHasher(16);
        long millis = (System.nanoTime() - start) / 1_000_000;
        // one bcrypt at cost 16 takes about 4 s here
        assertThat("created in " + millis + " ms", millis, lessThan(1000L));
    }
}
