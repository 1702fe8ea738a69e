package dev.tokenservice.resource;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import io.helidon.security.SecurityContext;
import io.helidon.security.Subject;

/**
 * <b>The one place that reaches into Helidon Security's internals</b> (design note in docs/architecture.md): gives a
 * new request's {@link SecurityContext} the subject of a token that Helidon Security authenticated before, so that the
 * token's later requests skip the provider chain.
 * <p>
 * Why: in Helidon 4.3.0 a context gets a user only from {@link SecurityContext#authenticate()}, whose audit walks the
 * thread's stack on every call, logged or not.
 * <p>

 * How: {@code SecurityContextImpl.setUser(Subject)}, package-private, which {@code authenticate()} itself calls on
 * success. If a Helidon upgrade removes it, {@link #available()} is false and every request is authenticated the
 * framework's way; {@code app.token.authenticate-every-request=true} chooses that way too.
 */
final class SecurityContextShortcut {
    private static final System.Logger LOGGER = System.getLogger(SecurityContextShortcut.class.getName());
    private static final MethodHandle SET_USER = setUser();

    private SecurityContextShortcut() {
    }

    /**
     * Whether this Helidon has the method the shortcut needs.
     *
     * @return whether {@link #authenticated(SecurityContext, Subject)} can be used
     */
    static boolean available() {
        return SET_USER != null;
    }

    /**
     * Makes a new context authenticated as a subject, as a successful {@link SecurityContext#authenticate()} does.
     *
     * @param context a context of Helidon Security, not yet authenticated
     */
    static void authenticated(SecurityContext context, Subject subject) {
        try {
            SET_USER.invoke(context, subject);
        } catch (Throwable e) {
            throw new IllegalStateException("Helidon's SecurityContextImpl.setUser failed", e);
        }
    }

    private static MethodHandle setUser() {
        try {
            Class<?> impl = Class.forName("io.helidon.security.SecurityContextImpl");
            return MethodHandles.privateLookupIn(impl, MethodHandles.lookup())
                    .findVirtual(impl, "setUser", MethodType.methodType(void.class, Subject.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "Helidon Security has no SecurityContextImpl.setUser(Subject) ("
                    + e + "): every request is authenticated by Helidon Security");
            return null;
        }
    }
}
