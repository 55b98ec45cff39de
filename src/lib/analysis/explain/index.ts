/** The "What is this?" decoder: see README.md in this folder. */
export { decodeName, nameOnlyHints } from './decode.ts';
export { decodeSlice, explainSlice, type SliceExplanation } from './slice.ts';
export { LEARN } from './learn.ts';
export type { ExplainCategory, FieldValue, LearnLink, NameDecoding, NameHints, Text } from './types.ts';
