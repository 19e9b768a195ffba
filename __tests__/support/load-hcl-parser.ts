/**
 * Loads the HCL parser (web-tree-sitter, asynchronous) before every test file, as the CLI does
 * before it reads any input: the graph loaders and the evaluator are synchronous after it.
 */
import { loadHclParser } from '../../analysis/sources/hcl-syntax';

beforeAll(() => loadHclParser());
