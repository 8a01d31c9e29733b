package org.pgflow.util;

/**
 * Input supplied by the user (a model file, a policy file, a config value, a command-line argument) is
 * invalid. The message names the field, the index where relevant, the rule and the offending value.
 * The command line maps this exception to exit status 2 and prints the message as one line: control
 * characters in it (a newline in a quoted value, say) are escaped.
 */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message field, index, rule and value, e.g. {@code "gamma must be in [0, 1) but was 1.5"} */
    public InvalidInputException(String message) {
        super(oneLine(message));
    }

    /** @return the text with line breaks, tabs and other control characters as visible escapes */
    static String oneLine(String s) {
        if (s == null || s.chars().noneMatch(Character::isISOControl)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b.toString();
    }
}
