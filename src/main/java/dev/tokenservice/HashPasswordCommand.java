package dev.tokenservice;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.tokenservice.users.PasswordHasher;

/**
 * {@code java -jar token-service.jar hash-password}: reads a password and prints its bcrypt hash at the
 * configured cost, ready to paste into {@code app.users[].password-hash}, or into {@code app.clients[].secret-hash}
 * for the secret of a confidential client.
 * <p>
 * On a terminal the password is read twice without echo; otherwise the first line of standard input is the
 * password, so {@code printf '%s' "$PW" | java -jar ... hash-password} works in scripts.
 */
public final class HashPasswordCommand {
    private final PasswordHasher hasher;

    public HashPasswordCommand(PasswordHasher hasher) {
        this.hasher = hasher;
    }

    /**
     * Runs the command.
     *
     * @param console the terminal, or {@code null} when standard input is not one
     * @param out     standard output, gets the hash only
     * @param err     standard error, gets prompts and errors
     */
    public int run(Console console, InputStream in, PrintStream out, PrintStream err) {
        String password;
        try {
            password = console == null ? firstLine(in) : fromTerminal(console);
        } catch (IOException | IllegalStateException e) {
            err.println("hash-password: " + e.getMessage());
            return 2;
        }
        try {
            out.println(hasher.hash(password));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("hash-password: " + e.getMessage());
            return 2;
        }
    }

    private static String fromTerminal(Console console) {
        char[] first = console.readPassword("Password: ");
        char[] second = console.readPassword("Repeat password: ");
        if (first == null || second == null) {
            throw new IllegalStateException("no password read");
        }
        if (!new String(first).equals(new String(second))) {
            throw new IllegalStateException("the two passwords differ");
        }
        return new String(first);
    }

    private static String firstLine(InputStream in) throws IOException {
        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            throw new IllegalStateException("no password on standard input");
        }
        return line;
    }
}
