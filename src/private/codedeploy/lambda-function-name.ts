// How an AppSpec may name a hook's Lambda function: a name, `name:qualifier`, a partial ARN
// (`123456789012:function:name`) or a full ARN.

const LAMBDA_NAME = '[a-zA-Z0-9_-]{1,64}';
const LAMBDA_QUALIFIER = '(?::(\\$LATEST|[a-zA-Z0-9_-]{1,128}))?';
export const FULL_ARN = new RegExp(`^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]{1,32}:\\d{12}:function:${LAMBDA_NAME}${LAMBDA_QUALIFIER}$`);
export const PARTIAL_ARN = new RegExp(`^(?:([a-z]{2}(?:-[a-z]+)+-\\d{1,2}):)?(\\d{12}):function:(${LAMBDA_NAME}${LAMBDA_QUALIFIER})$`);
export const PLAIN_NAME = new RegExp(`^${LAMBDA_NAME}${LAMBDA_QUALIFIER}$`);
export const FUNCTION_FORMS = 'a Lambda function name (my-hook), name:alias, a partial ARN (123456789012:function:my-hook) or a full ARN';

/** Whether `text` is one of the forms of `FUNCTION_FORMS`. */
export function isLambdaFunctionReference(text: string): boolean {
  return FULL_ARN.test(text) || PARTIAL_ARN.test(text) || PLAIN_NAME.test(text);
}
