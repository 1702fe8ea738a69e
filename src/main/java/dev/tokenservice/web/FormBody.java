package dev.tokenservice.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes an {@code application/x-www-form-urlencoded} body (WHATWG URL §5.1, as RFC 6749 Appendix B uses it)
 * keeping every occurrence of every name, empty values included. Written by hand because Helidon 4.3.0's form
 * reader drops empty values, so {@code password=x&password=} would pass as one password, while RFC 6749 §3.2 says
 * a parameter must not be sent twice. Strict where the format leaves room: a {@code %} not followed by two hex
 * digits, or bytes that are not UTF-8, make the body invalid rather than being kept as they are.
 */
public final class FormBody {
    private FormBody() {
    }

    /**
     * Decodes a body.
     *
     * @param body the body, as sent (ASCII expected)
     * @return names in order of first appearance, each with all its values; empty when the body is not a valid form
     */
    public static Optional<Map<String, List<String>>> parse(String body) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return Optional.of(form);
        }
        for (String pair : body.split("&", -1)) {
            if (pair.isEmpty()) {
                // "a=1&&b=2": an empty sequence is skipped (WHATWG URL §5.1 step 3.1)
                continue;
            }
            int equals = pair.indexOf('=');
            Optional<String> name = decode(equals < 0 ? pair : pair.substring(0, equals));
            Optional<String> value = decode(equals < 0 ? "" : pair.substring(equals + 1));
            if (name.isEmpty() || value.isEmpty()) {
                return Optional.empty();
            }
            form.computeIfAbsent(name.get(), key -> new ArrayList<>()).add(value.get());
        }
        return Optional.of(form);
    }

    private static Optional<String> decode(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return Optional.empty();
                }
                int high = Character.digit(encoded.charAt(i + 1), 16);
                int low = Character.digit(encoded.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return Optional.empty();
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c > 0x7F) {
                // not ASCII: a client must percent-encode it
                return Optional.empty();
            } else {
                bytes.write(c);
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                                       .decode(ByteBuffer.wrap(bytes.toByteArray()))
                                       .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
