/**
 * An ANS-104 tag: the one vocabulary of Arweave items and AO messages alike (an AO message is
 * a data item), so both layers use this declaration and this lookup.
 */
export interface Tag {
  name: string;
  value: string;
}

/** The value of the first tag with this name, if present (ANS-104 allows repeats; AO reads the first). */
export const tagValue = (tags: readonly Tag[] | undefined, name: string): string | undefined => tags?.find((tag) => tag.name === name)?.value;
