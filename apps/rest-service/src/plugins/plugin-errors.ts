import { NestifyError } from '@nestify/common';

/** A plugin archive we cannot accept (HTTP 400). */
export class InvalidPluginError extends NestifyError {
  constructor(message: string) {
    super(message, 'invalid_plugin_error');
  }
}

/** An upload request without any archive (HTTP 400). */
export class UploadMissingFileError extends NestifyError {
  constructor(message: string) {
    super(message, 'upload_missing_file');
  }
}

/** Deleting a plugin that uploaded blueprints use (HTTP 405, as in Cloudify). */
export class PluginInUseError extends NestifyError {
  constructor(message: string) {
    super(message, 'plugin_in_use');
  }
}
