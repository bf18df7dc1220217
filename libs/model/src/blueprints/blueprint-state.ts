/** Upload progress of a blueprint. */
export enum BlueprintState {
  Pending = 'pending',
  Validating = 'validating',
  Uploading = 'uploading',
  Extracting = 'extracting',
  Parsing = 'parsing',
  Uploaded = 'uploaded',
  FailedUploading = 'failed_uploading',
  FailedExtracting = 'failed_extracting',
  FailedParsing = 'failed_parsing',
  FailedExtractingToFileServer = 'failed_extracting_to_file_server',
  Invalid = 'invalid',
}

export const BLUEPRINT_STATES: readonly BlueprintState[] = Object.values(BlueprintState);

export const FAILED_BLUEPRINT_STATES: ReadonlySet<BlueprintState> = new Set([
  BlueprintState.FailedUploading,
  BlueprintState.FailedExtracting,
  BlueprintState.FailedParsing,
  BlueprintState.FailedExtractingToFileServer,
  BlueprintState.Invalid,
]);

/** The upload is over, one way or the other. */
export const END_BLUEPRINT_STATES: ReadonlySet<BlueprintState> = new Set([
  ...FAILED_BLUEPRINT_STATES,
  BlueprintState.Uploaded,
]);

export function isFailedBlueprintState(state: string | null | undefined): boolean {
  return typeof state === 'string' && (FAILED_BLUEPRINT_STATES as ReadonlySet<string>).has(state);
}

export function isEndBlueprintState(state: string | null | undefined): boolean {
  return typeof state === 'string' && (END_BLUEPRINT_STATES as ReadonlySet<string>).has(state);
}
