package dev.tokenservice;

import java.io.PrintStream;

import dev.tokenservice.clients.ClientSecrets;

/**
 * {@code client-secret}: makes a new secret for a confidential client and prints it with its
 * {@code sha256:} hash, ready to paste into {@code app.clients[].secret-hash}. The secret is shown only here; the
 * service keeps only the hash.
 */
public final class ClientSecretCommand {
    private ClientSecretCommand() {
    }

    /**
     * Runs the command.
     *
     * @param out standard output: the secret and the hash, as two YAML-style lines
     * @param err standard error: what to do with them
     */
    public static int run(PrintStream out, PrintStream err) {
        String secret = ClientSecrets.generate();
        out.println("client-secret: " + secret);
        out.println("secret-hash: \"" + ClientSecrets.sha256Hash(secret) + "\"");
        err.println("Give the client its secret (it is shown only now) and put the secret-hash into its app.clients"
                            + " entry.");
        return 0;
    }
}
