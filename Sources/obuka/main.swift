#if canImport(CMalloc)
import CMalloc

// No glibc fast bins (tcache still serves small blocks first). With them, freeing a parsed curriculum's
// million small blocks leaves them unmerged and the next large allocation or free merges them all at once
// (malloc_consolidate): about 10 % of validating a thousand-module program, most of its time after mapping.
_ = mallopt(M_MXFAST, 0)
#endif

import ObukaCLI

Obuka.runMain()
