/**
 * Words Jira refuses unquoted as a field name or value (Atlassian's "JQL reserved words"
 * list). `and`, `or`, `not`, `in`, `is`, `order`, `empty` and `null` are left out: the
 * parser gives those their own meaning or message.
 */
export const JQL_RESERVED_WORDS: ReadonlySet<string> = new Set(
  `abort access add after alias all alter any as asc audit avg before begin between boolean break by byte catch cf
char character check checkpoint collate collation column commit connect continue count create current date decimal
declare decrement default defaults define delete delimiter desc difference distinct divide do double drop else
encoding end equals escape exclusive exec execute exists explain false fetch file field first float for from function
go goto grant greater group having identified if immediate increment index initial inner inout input insert int
integer intersect intersection into isempty isnull join last left less like limit lock long max min minus mode modify
modulo more multiply next noaudit notin nowait number object of on option outer output power previous prior
privileges public raise raw remainder rename resume return returns revoke right row rowid rownum rows select session
set share size sqrt start string subtract sum synonym table then to trans transaction trigger true uid union unique
update user validate values view when whenever where while with`.split(/\s+/),
);
