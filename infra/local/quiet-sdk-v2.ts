// cognito-local still uses the AWS SDK v2, which announces its end of support on load. Jaring's own
// code uses v3; the notice says nothing to someone starting the local stack. Imported first.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
