package dev.oneshot.core.kernels;

import java.util.Locale;

/**
 * A kernel switch set from outside the program: a system property, or when it is not set an
 * environment variable; on unless set to {@code false}, {@code 0} or {@code off}. A value that is
 * none of those (nor {@code true}, {@code 1}, {@code on}) is reported on stderr and leaves the
 * switch on.
 */
public final class KernelSwitch {
    private KernelSwitch() {
    }

    /**
     * @param property    the system property's name
     * @param environment the environment variable's name
     * @param what        what stays on when a value is not understood, for the message
     */
    public static boolean on(String property, String environment, String what) {
        return on(property, System.getProperty(property), environment, System.getenv(environment), what);
    }

    static boolean on(String property, String propertyValue, String environment, String environmentValue,
                      String what) {
        if (propertyValue != null && !propertyValue.isBlank()) {
            return parse("system property " + property, propertyValue, what);
        }
        if (environmentValue != null && !environmentValue.isBlank()) {
            return parse("environment variable " + environment, environmentValue, what);
        }
        return true;
    }

    private static boolean parse(String source, String value, String what) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "false", "0", "off":
                return false;
            case "true", "1", "on":
                return true;
            default:
                System.err.println("oneshot: " + source + " must be true/1/on or false/0/off, got \"" + value
                        + "\"; " + what + " stays on");
                return true;
        }
    }
}
