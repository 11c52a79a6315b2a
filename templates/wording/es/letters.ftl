# The fixed wording of the letters to the requester (`templates/notices/`): each letter's
# sentences, whole, with what changes placed as `{ $name }`. What people wrote (a reason, a
# decision, a description) and the layout (blank lines, "- " before an item, the private link
# on a line of its own) stay in the templates. Dates are placed already written out. Staff
# letters stay in English in their templates. One file per language (docs/PRODUCT.md,
# "Wording"); `src/wording.rs` reads it.
#
# Spanish (US), formal "usted". Legal citations stay as written in English.

## Every letter to the requester.

letter-greeting = Estimado/a { $name }:
letter-greeting-no-name = Estimado/a solicitante:
# A time of day on a date: "el viernes, 20 de marzo de 2026 a las 4:00 p. m." ("a la 1:00"
# at one o'clock: $hour is the hour on the clock's face). It starts with "el", so the
# sentences that place it (as $by) do not add one.
letter-time-on-date = el { $date } { $hour ->
        [1] a la
       *[other] a las
    } { $time }

# Where a letter's copy (its printable page, its PDF) withholds the private link.
letter-link-withheld = [su enlace privado no aparece en esta copia: está en el correo electrónico o la carta que le enviamos]

## The signature under every letter (notice.txt), and the language of its HTML part.

letter-notice-lang = es
letter-notice-follow = Siga su { $kind ->
    [complaint] queja
   *[other] solicitud
}, escríbanos o retírela con su enlace privado:
letter-notice-keep-link = No comparta este enlace: cualquier persona que lo tenga puede ver y manejar su { $kind ->
    [complaint] queja
   *[other] solicitud
}.
letter-notice-quote = Por favor, incluya { $number } cuando nos escriba.

## How a due date was counted, in the acknowledgement and the extension. A count of days
## reads as a word up to twenty; $count arrives capitalised where it starts a sentence.

letter-counted = Cómo contamos: { $how }
letter-counted-receipt = Recibimos su solicitud el { $from }. { $count } días calendario después es el { $counted }, fecha límite para la determinación.
letter-counted-receipt-closed = Recibimos su solicitud el { $from }. { $count } días calendario después es el { $counted }; la oficina está cerrada { $closed }, así que la determinación vence el { $due }.
letter-counted-extension = Prórroga de { $extension } ({ $circumstance }). Recibimos su solicitud el { $from }; { $count } días calendario después es el { $counted }, fecha límite para la determinación.
letter-counted-extension-closed = Prórroga de { $extension } ({ $circumstance }). Recibimos su solicitud el { $from }; { $count } días calendario después es el { $counted }; la oficina está cerrada { $closed }, así que la determinación vence el { $due }.
letter-counted-appeal = Recibimos su apelación el { $from }. { $count } días calendario después es el { $counted }, fecha límite para la revisión.
letter-counted-appeal-closed = Recibimos su apelación el { $from }. { $count } días calendario después es el { $counted }; la oficina está cerrada { $closed }, así que la revisión vence el { $due }.
letter-counted-target = Recibimos su queja el { $from }. { $count } días calendario después es el { $counted }, el día en que esperamos cerrarla.
letter-counted-target-closed = Recibimos su queja el { $from }. { $count } días calendario después es el { $counted }; la oficina está cerrada { $closed }, así que esperamos cerrarla a más tardar el { $due }.
# "un" (not "uno"): the word always comes before "día" or "días".
letter-counted-number = { $n ->
    [0] cero
    [1] un
    [2] dos
    [3] tres
    [4] cuatro
    [5] cinco
    [6] seis
    [7] siete
    [8] ocho
    [9] nueve
    [10] diez
    [11] once
    [12] doce
    [13] trece
    [14] catorce
    [15] quince
    [16] dieciséis
    [17] diecisiete
    [18] dieciocho
    [19] diecinueve
    [20] veinte
   *[other] { $n }
}
# The extension's own days: "five days", with $words the number as letter-counted-number
# writes it.
letter-counted-days = { $n ->
    [one] { $words } día
   *[other] { $words } días
}
# The first day the office is closed is the day the count ended on.
letter-counted-that-day = ese día
# The last two of the closed days: "Saturday, March 28, 2026 and Sunday, March 29, 2026";
# the ones before are separated by commas.
letter-counted-and = { $rest } y { $last }
# The extension's unusual circumstance, in a few words (Gov. Code §7922.535(c)).
letter-counted-circumstance = { $circumstance ->
    [field_facilities] registros en instalaciones fuera de la oficina
    [voluminous_records] un gran volumen de registros
    [consultation] consulta con otra agencia o departamento
    [data_compilation] recopilar datos o escribir un programa
   *[state_of_emergency] un estado de emergencia
}

## acknowledgement: the request arrived.

letter-acknowledgement-received = Recibimos su { $kind } el { $on }. Su número de seguimiento es { $number }.
letter-acknowledgement-asked = Lo que usted pidió:
letter-acknowledgement-dataset = Conjunto de datos: { $dataset }
letter-acknowledgement-due = Le comunicaremos nuestra determinación a más tardar el { $due }. La Ley de Registros Públicos de California (California Public Records Act) le da a la Ciudad 10 días calendario para decidir. En circunstancias inusuales, la Ciudad puede prorrogar este plazo una sola vez, hasta por 14 días, y le explicará el motivo por escrito.

## accepted: the request is under review.

letter-accepted-under-review = Su solicitud { $number } ahora está en revisión. Le comunicaremos nuestra determinación a más tardar el { $due }.
letter-accepted-follow = Puede seguirla y escribirnos con el enlace privado que aparece al final de este correo electrónico.

## extended: the one extension.

letter-extended-more-time = Necesitamos más tiempo para decidir sobre su solicitud { $number }. Según Government Code section 7922.535, prorrogamos el plazo { $days ->
    [one] 1 día
   *[other] { $days } días
} debido a la siguiente circunstancia inusual (section 7922.535{ $subdivision }):
# The circumstance of section 7922.535(c), in plain words.
letter-circumstance-field-facilities = Los documentos deben buscarse y reunirse en instalaciones de campo u otros establecimientos separados de la oficina que tramita la solicitud.
letter-circumstance-voluminous-records = Se debe buscar, reunir y examinar una cantidad voluminosa de documentos separados y distintos.
letter-circumstance-consultation = Se debe consultar a otra agencia con un interés sustancial en la solicitud, o a dos o más partes de la Ciudad.
letter-circumstance-data-compilation = Se deben compilar datos, o redactar o programar un informe informático, para extraer los documentos.
letter-circumstance-state-of-emergency = Los documentos deben buscarse, reunirse y examinarse durante un estado de emergencia que el Gobernador proclamó aquí, el cual impide que la Ciudad responda a tiempo por falta de personal o por instalaciones cerradas.
letter-extended-new-due = Recibirá nuestra determinación a más tardar el { $due } (la fecha límite anterior era el { $previous }).
letter-extended-signed = Firmado por { $name }, { $title }, como persona designada por el jefe de la agencia.

## granted: a grant, in whole or in part (the review decision says some of it too).

letter-granted-decided = Hemos tomado una determinación sobre su solicitud { $number }: se concede.
letter-granted-in-part = Ya decidimos sobre su solicitud { $number }: se concede en parte. Le entregaremos algunos registros y retendremos otros. Esta carta explica cuáles, por qué y quién es responsable.
# $by ends in "p. m.", whose period a sentence's own would double: a semicolon follows it.
letter-granted-available = Sus registros estarán disponibles a más tardar { $by }; le escribiremos de nuevo cuando lo estén.
letter-granted-api-key = Su clave de API está lista. Abra el enlace privado que aparece al final de este correo electrónico y elija "Obtener su clave de API". La clave se muestra una sola vez, solo allí; nunca la enviamos por correo electrónico.

## withholding: what a grant in part, a denial or a review withholds (withholding.txt).

letter-withholding-heading = Lo que retenemos, y por qué:
letter-withholding-exemption = Exención: { $citation }
letter-withholding-exemption-titled = Exención: { $citation } — { $title }
letter-withholding-why = Por qué se aplica: { $reason }
letter-withholding-balance = Por qué el interés público de retenerlo es claramente mayor que el interés público de divulgarlo (Government Code section 7922.000): { $justification }
letter-withholding-responsible = Responsable de esta decisión (Government Code section 7922.540):

## options: what the requester can do about a decision (options.txt).

letter-options-heading = Lo que usted puede hacer:
letter-options-review = Pida a la Ciudad que revise esta decisión. La revisión es opcional: no es necesario pedirla antes de acudir a un tribunal, y no cambia ningún plazo que fija la ley. Para pedirla, abra el enlace privado que aparece al final de este correo electrónico y elija "Pedir una revisión", o escriba a { $email } e incluya { $number }, a más tardar el { $by }. La estudiará un revisor que no tomó esta decisión y que no se nombra en ella.
letter-options-court = Pida a un tribunal que ordene la divulgación de los registros (Government Code section 7923.000 y siguientes). Puede hacerlo en cualquier momento, con o sin la revisión de la Ciudad.

## help: the help offered when no records were found (help.txt).

letter-help = Podemos ayudarle. Según Government Code section 7922.600, le ayudaremos a identificar registros e información que respondan a su solicitud o a su propósito. También le describiremos la tecnología de información y los lugares donde se guardan los registros, y le sugeriremos maneras de obtener lo que busca. Responda a este correo electrónico, escriba a { $email } o llame al { $phone }, e incluya { $number }.

## denied: a denial (the review decision repeats its reasons).

letter-denied-decided = Hemos tomado una determinación sobre su solicitud { $number }: se deniega. No entregaremos ningún registro.
letter-denied-reasons = Nuestras razones:
letter-denied-segregability = Por qué no se puede entregar ninguna parte de los registros: la ley nos exige entregar cualquier parte de un registro que se pueda separar razonablemente (Government Code section 7922.525).

## no_records: nothing responsive was found.

letter-no-records-decided = Hemos tomado una determinación sobre su solicitud { $number }: después de buscar, la Ciudad no encontró registros que respondan a ella (Government Code section 7922.535).
letter-no-records-searched = Cómo y dónde buscamos:

## appeal_received: the requester's appeal arrived.

letter-appeal-received-grounds = Recibimos su solicitud de revisión de la decisión sobre la solicitud { $number }. Sus motivos:
letter-appeal-received-reviewer = La estudiará un revisor que no tomó la decisión original y que no se nombra en ella. Recibirá la decisión de la revisión a más tardar el { $due }.

## review_started: a reviewer took the appeal up.

letter-review-started-taken-up = Un revisor comenzó a estudiar su solicitud de revisión de la decisión sobre { $number }. Recibirá la decisión de la revisión a más tardar el { $due }.

## review_decision: the final decision on the appeal.

letter-review-decision-outcome = Después de la revisión, la decisión sobre su solicitud { $number } { $review ->
        [upheld] se confirma
        [overturned] se revoca
       *[revised] cambia
    }: { $outcome ->
        [granted] se concede su solicitud
        [granted-in-part] se concede su solicitud en parte
        [no-records] la Ciudad no tiene registros que respondan a su solicitud
       *[denied] se niega su solicitud
    }.
letter-review-decision-final = Esta decisión es final: la Ciudad no la volverá a revisar.
letter-review-decision-court = Puede pedir a una corte que ordene la divulgación de los registros (Government Code section 7923.000 y siguientes).

## withdrawn: the request is withdrawn, by the requester or for them.

letter-withdrawn-as-asked = Su { $kind ->
    [complaint] queja
   *[other] solicitud
} { $number } fue retirada, como usted lo pidió. No haremos más trabajo en ella.
letter-withdrawn-on-behalf = Su { $kind ->
    [complaint] queja
   *[other] solicitud
} { $number } fue retirada, como usted nos pidió: { $how }. No haremos más trabajo en ella. Si usted no pidió esto, escriba a { $email } e incluya { $number }.
letter-withdrawn-reason = Su razón: { $reason }
letter-withdrawn-new-request = Puede presentar una nueva { $kind ->
    [complaint] queja
   *[other] solicitud
} en cualquier momento.

## duplicate: staff closed the request because it repeats another.

letter-duplicate-closed = Su solicitud { $number } pide los mismos registros que la solicitud { $original }. Por eso cerramos { $number } y le responderemos una sola vez, en { $original }.
letter-duplicate-follow = Siga { $original } con el enlace privado que le enviamos para esa solicitud. Si ya no tiene ese enlace, escriba { $original } y el correo electrónico que usó para esa solicitud en { $find }, y le enviaremos uno nuevo por correo electrónico.
letter-duplicate-not-yours = Si cree que { $number } pide algo diferente, escriba a { $email } e incluya { $number }, y la volveremos a examinar.

## staff_message: staff wrote to the requester.

letter-staff-message-wrote = { $author } escribió sobre su { $kind ->
    [complaint] queja
   *[other] solicitud
} { $number }:
letter-staff-message-answer = Para responder, use el enlace privado que aparece al final de este correo electrónico, o escriba a { $email } e incluya { $number }.

## records_produced: the records were delivered on paper or inspected.

letter-records-produced-how = Los registros de su solicitud { $number } { $how ->
        [paper] se entregaron en papel u otro medio
        [inspection] se pusieron a su disposición para inspeccionarlos en persona
       *[released] se le entregaron en línea
    }.
letter-records-produced-missing = Si falta algo que le dijimos que recibiría, escriba a { $email } e incluya { $number }.

## production_reopened: more records are coming.

letter-production-reopened-incomplete = Los registros que entregamos para su solicitud { $number } no estaban completos:
# $by ends in "p. m.", whose period a sentence's own would double: a semicolon follows it.
letter-production-reopened-expected = Esperamos tener el resto disponible a más tardar { $by }; le escribiremos de nuevo cuando esté disponible.

## fee_estimate, fee_receipt, fee_waived, fee_refunded: fees for copies (docs/PRODUCT.md, "Fees").

letter-fee-estimate-intro = Antes de hacer copias de los registros de su solicitud { $number }, esto es lo que costarán:
letter-fee-waived-whole = El cargo por las copias de su solicitud { $number } es de { $total }. Es menos que el monto mínimo que cobra la Ciudad, así que recibe una exención: no tiene nada que pagar.
letter-fee-line = { $description }: { $quantity } × { $unit } = { $amount } ({ $citation })
letter-fee-line-hourly = { $description }: { $minutes } minutos a { $unit } por hora = { $amount } ({ $citation })
letter-fee-basis-compilation = La ley permite este cargo porque, para producir la copia, su solicitud requiere recopilar o extraer datos, o escribir un programa.
letter-fee-basis-outside-schedule = La ley permite este cargo porque, de otro modo, el registro solo se produce en fechas programadas con regularidad.
letter-fee-total = Total: { $total }
letter-fee-estimate-next = Por favor, díganos si acepta este estimado de cargos con el enlace privado que aparece al final de este correo electrónico. Si no lo acepta, no se le cobra nada: aun así le entregaremos los registros que no requieren pago, y usted puede inspeccionar los registros en persona sin costo.
letter-fee-rules = La ley permite a la Ciudad cobrar solo el costo directo de copiar los registros, o un cargo fijado por ley (Government Code section 7922.530). Para registros electrónicos, puede cobrar el costo de producir la copia, y el trabajo de programación o de datos solo cuando una solicitud lo requiere (section 7922.575). No se cobra nada por buscar registros, revisarlos o tachar partes de ellos, ni por inspeccionarlos.
letter-fee-deadline = Un cargo nunca prorroga el plazo de nuestra determinación sobre su solicitud (Government Code section 7922.535).
letter-fee-receipt = Recibo número { $receipt }: recibimos su pago de { $amount } para la solicitud { $number }. Gracias.
letter-fee-receipt-method = Forma de pago: { $method }
letter-fee-method-cash = efectivo
letter-fee-method-check = cheque
letter-fee-method-card = tarjeta
letter-fee-waived = Le dimos una exención de { $amount } del cargo de su solicitud { $number }.
letter-fee-refunded = Le reembolsamos { $amount } por su solicitud { $number }.
letter-fee-balance = Falta pagar: { $balance }.
letter-fee-settled = No debe nada más.
letter-fee-credit = Le debemos { $amount } y se lo reembolsaremos.

## records_released: documents released, and where to get them.

letter-records-released-count = Le entregamos { $count ->
        [one] 1 documento
       *[other] { $count } documentos
    } en respuesta a su solicitud { $number }:
# A document's size: $size is the number, already rounded ("1.2").
letter-records-released-size = { $unit ->
        [kb] { $size } KB
        [mb] { $size } MB
        [gb] { $size } GB
       *[bytes] { $size } bytes
    }
letter-records-released-download = Para descargarlos, abra el enlace privado que aparece al final de este correo electrónico. Están en la lista "Registros que se le entregaron". El enlace es solo para usted: cualquier persona que lo tenga puede ver su solicitud.
letter-records-released-redactions = Cuando un documento indica que se tachó o se retuvo algo, el motivo y la exención aparecen a su lado.

## api_key_revoked: the requester's API key no longer works.

letter-api-key-revoked-revoked = La clave de API que se le concedió con su solicitud { $number } fue revocada. Ya no da acceso a las API de datos de la Ciudad.
letter-api-key-revoked-mistake = Si cree que esto es un error, escríbanos e incluya { $number }.

## api_key_ready: a new key in place of a lost one.

letter-api-key-ready-ready = Usted nos dijo que perdió la clave de API que se le concedió con su solicitud { $number }. Ya tiene lista una nueva clave. Abra su solicitud con este enlace y elija "Obtener su nueva clave de API":
letter-api-key-ready-once = La nueva clave se muestra una sola vez, cuando la obtenga, así que guárdela en un lugar seguro. Al obtenerla, su clave anterior deja de funcionar; hasta entonces, la clave anterior sigue funcionando. La nueva clave da acceso a los mismos datos, con el mismo límite de uso y hasta la misma fecha que la anterior.

## new_link: the old private links were turned off; this one works.

letter-new-link-turned-off = El personal de la Ciudad desactivó los enlaces privados que le enviamos antes para su { $kind } { $number }. Normalmente lo hacemos porque un enlace pudo haber llegado a otra persona. Esos enlaces ya no abren su solicitud.
letter-new-link-use = Use este nuevo enlace para seguir su solicitud, escribirnos o retirarla:
letter-new-link-unexpected = Si no esperaba este mensaje, escríbanos e incluya { $number }.

## link_resent: a new link, asked for on "Find your request".

letter-link-resent-asked = Alguien pidió en nuestro sitio web un nuevo enlace para su { $kind } { $number }, con su número de seguimiento y esta dirección de correo electrónico. Use este enlace para seguir su solicitud, escribirnos o retirarla:
letter-link-resent-earlier-links = Sus enlaces anteriores siguen funcionando.
letter-link-resent-not-you = Si usted no pidió este enlace, no tiene que hacer nada: se le envió solo a usted. Si cree que otra persona tiene uno de sus enlaces, escríbanos e incluya { $number }, y desactivaremos los enlaces anteriores.

## assistance: help to identify records (Government Code section 7922.600).

letter-assistance-intro = Queremos ayudarle a hacer una solicitud que encuentre los registros que busca (Government Code section 7922.600). Sobre su { $kind } { $number }:
letter-assistance-records = Registros que pueden responder a su solicitud:
letter-assistance-location = Cómo y dónde se guardan:
letter-assistance-focus = Cómo podría enfocar su solicitud:
letter-assistance-question = Nuestra pregunta para usted:
letter-assistance-answer = Por favor, responda escribiéndonos en la página de su solicitud:
letter-assistance-clock = Esto no detiene el plazo: aun así le comunicaremos nuestra decisión a más tardar el { $due }. Si lo que nos dice la convierte en una solicitud diferente, la registraremos como una nueva solicitud a partir del día en que nos escribió, y se lo diremos. Esta solicitud conserva su propia decisión, a menos que usted nos pida por escrito que la retiremos.

# Complaints (docs/PRODUCT.md, "Complaints"): no statute times them; the city's own target does.
letter-complaint-received = Recibimos su queja el { $on }. Su número de seguimiento es { $number }.
letter-complaint-about = De qué se trata: { $subject }
letter-complaint-where = Dónde: { $location }
letter-complaint-when = Cuándo ocurrió o se notó: { $on }
letter-complaint-target = El departamento la investigará. Nuestra meta es cerrarla a más tardar el { $due }. Le escribiremos cuando el departamento empiece a investigarla y cuando se cierre.
letter-complaint-investigating = El departamento está investigando su queja { $number }. Nuestra meta es cerrarla a más tardar el { $due }.
letter-complaint-resolved = Su queja { $number } está resuelta. Lo que el departamento encontró e hizo:
letter-complaint-referred = Su queja { $number } trata de un asunto que la Ciudad no maneja: la enviamos a { $agency }, que sí lo maneja. No haremos más trabajo en ella.
letter-complaint-dismissed = Su queja { $number } se cerró sin tomar medidas, por esta razón:
letter-complaint-closed-questions = Si tiene preguntas, escriba a { $email } e incluya { $number }. Puede presentar una nueva queja en cualquier momento.
# Under a translated letter: the English letter is the one that counts in law.
letter-legal-original = Esta carta es una traducción; el original en inglés es el texto con validez legal.
