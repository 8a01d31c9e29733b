package org.pgflow.util;

/**
 * Input supplied by the user (a model file, a policy file, a config value, a command-line argument) is
 * invalid. The message names the field, the index where relevant, the rule and the offending value.
 * The command line maps this exception to exit status 2.
 */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message field, index, rule and value, e.g. {@code "gamma must be in [0, 1) but was 1.5"} */
    public InvalidInputException(String message) {
        super(message);
    }
}
