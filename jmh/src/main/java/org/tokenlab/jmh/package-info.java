/** JMH benchmarks. */
package org.tokenlab.jmh;
