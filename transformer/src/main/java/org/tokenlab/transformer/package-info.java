/** The GPT decoder, its training loop, checkpoints and samplers. */
package org.tokenlab.transformer;
