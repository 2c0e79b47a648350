package io.kvs.cli;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numbers given to options: counts, byte sizes and seconds, each checked against its range as
 * it is parsed. A value that is not a number or is out of range is a {@link CliFailure#usage}
 * sentence naming the option, the range and the value as the user typed it.
 */
final class NumericOptions {

    private static final Pattern COUNT = Pattern.compile("[0-9]+");
    /** Bytes, with an optional binary suffix: {@code k}/{@code KiB}, {@code m}/{@code MiB}, {@code g}/{@code GiB}. */
    private static final Pattern BYTES = Pattern.compile("([0-9]+)\\s*(?:([kmg])(?:ib)?)?", Pattern.CASE_INSENSITIVE);
    /** Seconds, whole or with a fraction: {@code 30}, {@code 0.5}, {@code .25}. */
    private static final Pattern SECONDS = Pattern.compile("[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+");
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

    private NumericOptions() {
    }

    /** A whole number from {@code min} to {@code max}. */
    static int count(String option, String text, int min, int max) {
        String value = text.strip();
        if (COUNT.matcher(value).matches()) {
            BigInteger number = new BigInteger(value);
            if (number.compareTo(BigInteger.valueOf(min)) >= 0 && number.compareTo(BigInteger.valueOf(max)) <= 0) {
                return number.intValue();
            }
        }
        throw CliFailure.usage(option + " must be a whole number from " + min + " to " + max + ", got '" + text + "'");
    }

    /** A number of bytes from {@code min} to {@code max}; a suffix k, m or g counts KiB, MiB or GiB. */
    static long bytes(String option, String text, long min, long max) {
        Matcher matcher = BYTES.matcher(text.strip());
        if (matcher.matches()) {
            BigInteger number = new BigInteger(matcher.group(1));
            if (matcher.group(2) != null) {
                int shift = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
                    case "k" -> 10;
                    case "m" -> 20;
                    default -> 30;
                };
                number = number.shiftLeft(shift);
            }
            if (number.compareTo(BigInteger.valueOf(min)) >= 0 && number.compareTo(BigInteger.valueOf(max)) <= 0) {
                return number.longValue();
            }
        }
        throw CliFailure.usage(option + " must be a number of bytes from " + min + " to " + max
                + " (k, m or g after the number counts KiB, MiB or GiB), got '" + text + "'");
    }

    /** A number of seconds, fractions allowed, from {@code min} to {@code max}. */
    static Duration seconds(String option, String text, Duration min, Duration max) {
        String value = text.strip();
        if (isShortWholeNumber(value)) {
            // The usual case (the client's default "30"), without loading BigDecimal: client start-up time.
            Duration whole = Duration.ofSeconds(Long.parseLong(value));
            if (whole.compareTo(min) >= 0 && whole.compareTo(max) <= 0) {
                return whole;
            }
        }
        BigDecimal minSeconds = seconds(min);
        BigDecimal maxSeconds = seconds(max);
        if (SECONDS.matcher(value).matches()) {
            BigDecimal number = new BigDecimal(value);
            if (number.compareTo(minSeconds) >= 0 && number.compareTo(maxSeconds) <= 0) {
                return Duration.ofNanos(number.multiply(NANOS_PER_SECOND).setScale(0, RoundingMode.HALF_UP).longValueExact());
            }
        }
        throw CliFailure.usage(option + " must be a number of seconds from " + minSeconds.toPlainString() + " to "
                + maxSeconds.toPlainString() + " (for example 30 or 0.5), got '" + text + "'");
    }

    private static boolean isShortWholeNumber(String value) {
        if (value.isEmpty() || value.length() > 9) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static BigDecimal seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toNanos()).divide(NANOS_PER_SECOND).stripTrailingZeros();
    }
}
