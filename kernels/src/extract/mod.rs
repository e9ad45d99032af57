//! Placeholder: this kernel family is being written (see the issue on the kernel suite).
