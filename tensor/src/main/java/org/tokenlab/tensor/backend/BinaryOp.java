package org.tokenlab.tensor.backend;

/** Elementwise binary operations with broadcasting. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV
}
