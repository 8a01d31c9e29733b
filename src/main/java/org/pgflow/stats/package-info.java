/**
 * Combinable statistics (running moments with standard errors) and small fits used by study summaries
 * (least-squares lines, coupling decay rates). Plain Java.
 */
package org.pgflow.stats;
