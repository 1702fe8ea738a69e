package dev.tokenservice.token;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.tokenservice.keys.PublicKeyRing;
import dev.tokenservice.keys.PublicKeys;
import dev.tokenservice.store.RevokedTokens;
import dev.tokenservice.users.UserStore;

import io.helidon.security.jwt.jwk.Jwk;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

/**
 * <b>The single rule for "is this an access token of this service, valid now"</b>, asked by every use of an access
 * token through the bearer path (docs/architecture.md). A token is valid when all of this holds, else it is refused
 * with a short reason that quotes nothing of the token:
 * <ul>
 *     <li>compact JWS form: three base64url segments without padding and with no character outside the base64url
 *     alphabet, in canonical encoding (RFC 7515 §2, §7.1; RFC 7519 §7.2), at most {@value #MAX_TOKEN_LENGTH}
 *     characters;</li>
 *     <li>header and payload are each exactly one JSON object: no trailing data and no member name twice (RFC 7519
 *     §4 lets a parser take the last duplicate, but another verifier may take the first, so neither is taken);</li>
 *     <li>header: {@code alg}, {@code kid} and {@code typ} only. {@code crit} is refused, since this service
 *     implements no extension (RFC 7515 §4.1.11), and so is every other parameter, {@code b64} (RFC 7797),
 *     {@code jku}, {@code jwk}, {@code x5u} and {@code x5c} among them: the {@code kid} picks a key of the key
 *     ring, that key fixes the algorithm ({@code none} never), and its signature must verify (RFC 8725 §3.1) with
 *     the key's public part ({@link PublicKeyRing}). It never uses {@code SignedJwt.verifySignature}, which
 *     accepts {@code alg: none} for a token without {@code kid};</li>
 *     <li>{@code typ} marks an access token (RFC 9068 §2.1, §4);</li>
 *     <li>claims of the right JSON type: {@code iss}, {@code sub}, {@code jti} non-empty strings; {@code aud} a
 *     string or an array of strings; {@code exp} and {@code iat} (required, RFC 9068 §2.2) and {@code nbf}
 *     integer NumericDates from 0 to the year 9999 (RFC 7519 §2), never a fraction, a string or a number that
 *     does not fit; {@code scope} a space-delimited string of scope tokens (RFC 6749 §3.3); {@code client_id} a
 *     string; no claim {@code null};</li>
 *     <li>{@code iss} is this service, {@code aud} names its audience;</li>
 *     <li>it is a user's token or a client's own, and which: only a client's own token (client credentials
 *     grant) carries {@value TokenService#CLIENT_TOKEN_CLAIM}, whose value must then be
 *     {@code client_credentials} and whose {@code sub} must equal its {@code client_id}; a token without it is a
 *     user's, whatever its {@code sub} reads like ({@link AccessTokenClaims#clientToken()});</li>
 *     <li>now is before {@code exp}, with no leeway: an introspection answer must not outlive the token;
 *     {@code iat} and {@code nbf} are at most {@link TokenSettings#CLOCK_SKEW} in the future (a replica whose
 *     clock runs ahead may have issued it);</li>
 *     <li>its {@code jti} is not revoked, and its subject, the user or the client, may still use tokens
 *     ({@link TokenSubjects}).</li>
 * </ul>
 */
public final class AccessTokenVerifier {
    /** Far longer than any token this service issues; anything longer is not parsed. */
    static final int MAX_TOKEN_LENGTH = 8192;
    /** The largest NumericDate accepted: 9999-12-31T23:59:59Z. */
    private static final long MAX_NUMERIC_DATE = 253_402_300_799L;
    /** RFC 6749 §3.3: scope-token *( SP scope-token ), scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*");
    private static final Set<String> HEADER_PARAMETERS = Set.of("alg", "kid", "typ");
    /** A token without {@code scope} has none; made once, as {@code Json.createValue} looks up the provider. */
    private static final JsonString NO_SCOPE = Json.createValue("");
    // Parsson (Helidon's JSON-P provider) refuses duplicate member names only when asked; checked once below
    private static final JsonParserFactory JSON =
            Json.createParserFactory(Map.of("org.eclipse.parsson.rejectDuplicateKeys", true));

    static {
        if (object("{\"a\":1,\"a\":2}").isPresent()) {
            throw new IllegalStateException("The JSON-P provider accepts duplicate member names: access tokens"
                                                    + " cannot be checked strictly");
        }
    }

    private final PublicKeyRing keys;
    private final TokenSettings settings;
    private final RevokedTokens revoked;
    private final TokenSubjects subjects;
    private final Clock clock;

    /** The rule with users as the subjects of tokens. */
    public AccessTokenVerifier(PublicKeyRing keys, TokenSettings settings, RevokedTokens revoked, UserStore users,
                               Clock clock) {
        this(keys, settings, revoked, TokenSubjects.users(users), clock);
    }

    public AccessTokenVerifier(PublicKeyRing keys, TokenSettings settings, RevokedTokens revoked,
                               TokenSubjects subjects, Clock clock) {
        this.keys = keys;
        this.settings = settings;
        this.revoked = revoked;
        this.subjects = subjects;
        this.clock = clock;
    }

    /** Whether a token is a valid access token of this service now, with the current keys. */
    public Result check(String token) {
        Result signed = signedClaims(token, keys.current());
        return signed instanceof Result.Valid valid ? stillValid(valid.claims()) : signed;
    }

    /** The current keys, which {@link #signedClaims(String, PublicKeys)} results are valid for. */
    public PublicKeys keys() {
        return keys.current();
    }

    /**
     * The part of the rule that depends only on the token and the key set: form, header, signature, claim types,
     * issuer and audience. Its result holds for as long as {@code keySet} (from {@link #keys()}) is the current one.
     */
    public Result signedClaims(String token, PublicKeys keySet) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            return refused("token too long");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return refused("not a compact JWS");
        }
        // the header picks the key; the payload is read only once the signature has verified
        Optional<JsonObject> header = jsonSegment(parts[0]);
        if (header.isEmpty()) {
            return refused("the header is not unpadded base64url of exactly one JSON object");
        }
        String headerProblem = headerProblem(header.get());
        if (headerProblem != null) {
            return refused(headerProblem);
        }
        Jwk key = keySet.verificationKey(string(header.get(), "kid")).orElse(null);
        String alg = string(header.get(), "alg");
        if (key == null || Jwk.ALG_NONE.equals(alg) || !alg.equals(key.algorithm())) {
            return refused("unknown key or algorithm");
        }
        Optional<byte[]> signature = base64url(parts[2]);
        byte[] signedBytes = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        if (signature.isEmpty() || !verifies(key, signedBytes, signature.get())) {
            return refused("bad signature");
        }
        Optional<JsonObject> payload = jsonSegment(parts[1]);
        if (payload.isEmpty()) {
            return refused("the payload is not unpadded base64url of exactly one JSON object");
        }
        return claims(payload.get());
    }

    /** The part of the rule that changes with time, for claims {@link #signedClaims} accepted; runs for every use. */
    public Result stillValid(AccessTokenClaims claims) {
        Instant now = clock.instant();
        Instant latestStart = now.plus(TokenSettings.CLOCK_SKEW);
        if (!now.isBefore(claims.expiresAt())) {
            return refused("expired");
        }
        if (claims.issuedAt().isAfter(latestStart)
                || claims.notBeforeTime().filter(latestStart::isBefore).isPresent()) {
            return refused("not valid yet");
        }
        if (revoked.isRevoked(claims.jti())) {
            return refused("revoked");
        }
        if (!subjects.active(claims)) {
            return refused("subject removed or disabled");
        }
        return new Result.Valid(claims);
    }

    private String headerProblem(JsonObject header) {
        if (header.containsKey("crit")) {
            return "crit header: no extension is implemented";
        }
        for (String name : header.keySet()) {
            if (!HEADER_PARAMETERS.contains(name)) {
                return "unsupported header parameter";
            }
        }
        if (string(header, "alg") == null || string(header, "kid") == null) {
            return "alg and kid must be strings";
        }
        String typ = string(header, "typ");
        if (typ == null || !settings.acceptsType(typ)) {
            return "not an access token";
        }
        return null;
    }

    private Result claims(JsonObject payload) {
        if (payload.values().stream().anyMatch(value -> value.getValueType() == JsonValue.ValueType.NULL)) {
            return refused("a claim is null");
        }
        String issuer = string(payload, "iss");
        String subject = string(payload, "sub");
        String jti = string(payload, "jti");
        Optional<List<String>> audience = audience(payload.get("aud"));
        Optional<Instant> expiresAt = numericDate(payload.get("exp"));
        Optional<Instant> issuedAt = numericDate(payload.get("iat"));
        Optional<Instant> notBefore = payload.containsKey("nbf") ? numericDate(payload.get("nbf"))
                : Optional.of(Instant.MIN);
        JsonValue scope = payload.getOrDefault("scope", NO_SCOPE);
        JsonValue clientId = payload.get("client_id");
        if (issuer == null || subject == null || subject.isEmpty() || jti == null || jti.isEmpty()
                || audience.isEmpty() || expiresAt.isEmpty() || issuedAt.isEmpty() || notBefore.isEmpty()
                || !(scope instanceof JsonString scopeString)
                || !(scopeString.getString().isEmpty() || SCOPE.matcher(scopeString.getString()).matches())
                || (clientId != null && !(clientId instanceof JsonString))) {
            return refused("a claim is missing or of the wrong type");
        }
        if (!issuer.equals(settings.issuer()) || !audience.get().contains(settings.audience())) {
            return refused("another issuer or audience");
        }
        // a user's token never has the marker; a client's own token has it, with the client as sub (RFC 9068 §2.2).
        // Names are never compared to tell the two apart: a user may be named like a client.
        JsonValue marker = payload.get(TokenService.CLIENT_TOKEN_CLAIM);
        boolean clientToken = marker != null;
        if (clientToken && !(marker instanceof JsonString kind && kind.getString().equals(TokenService.CLIENT_TOKEN)
                && clientId instanceof JsonString client && client.getString().equals(subject))) {
            return refused("neither a user's token nor a client's own");
        }
        return new Result.Valid(new AccessTokenClaims(subject,
                                                      clientId == null ? null : ((JsonString) clientId).getString(),
                                                      scopeString.getString(),
                                                      issuedAt.get(),
                                                      expiresAt.get(),
                                                      issuer,
                                                      audience.get(),
                                                      jti,
                                                      notBefore.get().equals(Instant.MIN) ? null : notBefore.get(),
                                                      clientToken));
    }

    /*
     * Helidon's JWK throws rather than answering false for a signature it cannot even check: an RSA signature of
     * another length than the modulus, an EC signature that is not two coordinates. Either is a bad signature.
     */
    private static boolean verifies(Jwk key, byte[] signedBytes, byte[] signature) {
        try {
            return key.verifySignature(signedBytes, signature);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Optional<List<String>> audience(JsonValue value) {
        if (value instanceof JsonString single) {
            return Optional.of(List.of(single.getString()));
        }
        if (!(value instanceof jakarta.json.JsonArray array) || array.isEmpty()) {
            return Optional.empty();
        }
        List<String> audience = new ArrayList<>();
        for (JsonValue member : array) {
            if (!(member instanceof JsonString string)) {
                return Optional.empty();
            }
            audience.add(string.getString());
        }
        return Optional.of(audience);
    }

    /** RFC 7519 §2 NumericDate, limited to whole seconds from 1970 to 9999 so that no value wraps around. */
    private static Optional<Instant> numericDate(JsonValue value) {
        if (!(value instanceof JsonNumber number)) {
            return Optional.empty();
        }
        BigDecimal seconds = number.bigDecimalValue();
        if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(MAX_NUMERIC_DATE)) > 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.ofEpochSecond(seconds.longValueExact()));
        } catch (ArithmeticException e) {
            // a fraction
            return Optional.empty();
        }
    }

    private static String string(JsonObject object, String name) {
        return object.get(name) instanceof JsonString string ? string.getString() : null;
    }

    private static Optional<JsonObject> jsonSegment(String segment) {
        return base64url(segment).flatMap(AccessTokenVerifier::utf8).flatMap(AccessTokenVerifier::object);
    }

    /** RFC 7515 §2: base64url without padding, no other character, canonical (no stray bits in the last one). */
    private static Optional<byte[]> base64url(String segment) {
        if (segment.isEmpty() || segment.length() % 4 == 1) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            // refuses any character outside the base64url alphabet but '='; the comparison below refuses padding
            bytes = Base64.getUrlDecoder().decode(segment);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(segment)) {
            return Optional.empty();
        }
        return Optional.of(bytes);
    }

    /** RFC 7519 §7.2: the segments are UTF-8; a malformed sequence is refused rather than replaced. */
    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** Exactly one JSON object and nothing after it, with no member name twice at any depth. */
    private static Optional<JsonObject> object(String json) {
        try (JsonParser parser = JSON.createParser(new StringReader(json))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                return Optional.empty();
            }
            JsonObject object = parser.getObject();
            return parser.hasNext() ? Optional.empty() : Optional.of(object);
        } catch (RuntimeException e) {
            // JsonParsingException, or IllegalStateException for a duplicate name
            return Optional.empty();
        }
    }

    private static Result refused(String reason) {
        return new Result.Refused(reason);
    }

    /** What the rule decided. */
    public sealed interface Result {
        /** A valid access token. */
        record Valid(AccessTokenClaims claims) implements Result {
        }

        /** A refused token, with a reason that quotes nothing of it. */

        record Refused(String reason) implements Result {
        }
    }
}
