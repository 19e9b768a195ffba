import { loadHclParser } from '../../analysis/sources/hcl-syntax';

// The analysis reads Terraform through tree-sitter's HCL grammar, loaded asynchronously once
// per test file (about 20 ms) so every test can call the synchronous check.
beforeAll(() => loadHclParser());
