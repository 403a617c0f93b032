/** The CUDA backend, bound to cudart and cuBLAS through the FFM API. */
package org.tokenlab.cuda;
