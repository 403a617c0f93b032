/**
 * Tokenizers: bytes, characters over an alphabet, BPE (trainer, rank encoder, JSON files), greedy
 * longest match over a dictionary, LZW dictionaries. Every tokenizer round-trips what it accepts and
 * names the byte and position of what it does not.
 */
package org.tokenlab.theory.tokenize;
