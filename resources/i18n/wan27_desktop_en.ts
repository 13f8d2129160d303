<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>BatchBar</name>
    <message numerus="yes">
        <source>Batch #{id} “{name}”: %n row(s), {done} done · spent {spent}</source>
        <translation>
            <numerusform>Batch #{id} “{name}”: %n row, {done} done · spent {spent}</numerusform>
            <numerusform>Batch #{id} “{name}”: %n rows, {done} done · spent {spent}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BatchWindow</name>
    <message numerus="yes">
        <source>%n image(s) and {csv} written to {folder}</source>
        <translation>
            <numerusform>%n image and {csv} written to {folder}</numerusform>
            <numerusform>%n images and {csv} written to {folder}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message numerus="yes">
        <source>%n problem(s) so far; the latest: %1</source>
        <translation>
            <numerusform>%n problem so far; the latest: %1</numerusform>
            <numerusform>%n problems so far; the latest: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DateRangeDialog</name>
    <message numerus="yes">
        <source>%n day(s).</source>
        <translation>
            <numerusform>%n day.</numerusform>
            <numerusform>%n days.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GalleryFilters</name>
    <message numerus="yes">
        <source>Filters (%n)</source>
        <translation>
            <numerusform>Filters (%n)</numerusform>
            <numerusform>Filters (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>#{id} {name} — {kind}, %n row(s), {date}</source>
        <translation>
            <numerusform>#{id} {name} — {kind}, %n row, {date}</numerusform>
            <numerusform>#{id} {name} — {kind}, %n rows, {date}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GalleryModel</name>
    <message numerus="yes">
        <source>A set of %n image(s), stacked. Click the badge or press + to show them all.</source>
        <translation>
            <numerusform>A set of %n image, stacked. Click the badge or press + to show it.</numerusform>
            <numerusform>A set of %n images, stacked. Click the badge or press + to show them all.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GalleryPanel</name>
    <message numerus="yes">
        <source>%Ln image(s)</source>
        <translation>
            <numerusform>%Ln image</numerusform>
            <numerusform>%Ln images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Shown as %Ln tile(s): each image set is one stack</source>
        <translation>
            <numerusform>Shown as %Ln tile: each image set is one stack</numerusform>
            <numerusform>Shown as %Ln tiles: each image set is one stack</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) and {csv} written to {folder}</source>
        <translation>
            <numerusform>%n image and {csv} written to {folder}</numerusform>
            <numerusform>%n images and {csv} written to {folder}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Closed a set of %n image(s)</source>
        <translation>
            <numerusform>Closed a set of %n image</numerusform>
            <numerusform>Closed a set of %n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Opened a set of %n image(s); press − or click its badge to close it.</source>
        <translation>
            <numerusform>Opened a set of %n image; press − or click its badge to close it.</numerusform>
            <numerusform>Opened a set of %n images; press − or click its badge to close it.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rated %n image(s) {stars}</source>
        <translation>
            <numerusform>Rated %n image {stars}</numerusform>
            <numerusform>Rated %n images {stars}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cleared the rating of %n image(s)</source>
        <translation>
            <numerusform>Cleared the rating of %n image</numerusform>
            <numerusform>Cleared the rating of %n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Marked %n image(s) as favourite</source>
        <translation>
            <numerusform>Marked %n image as favourite</numerusform>
            <numerusform>Marked %n images as favourite</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Removed %n image(s) from favourites</source>
        <translation>
            <numerusform>Removed %n image from favourites</numerusform>
            <numerusform>Removed %n images from favourites</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Moved %n image(s) to the trash</source>
        <translation>
            <numerusform>Moved %n image to the trash</numerusform>
            <numerusform>Moved %n images to the trash</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Restored %n image(s)</source>
        <translation>
            <numerusform>Restored %n image</numerusform>
            <numerusform>Restored %n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Permanently delete %Ln image(s) in the trash?</source>
        <translation>
            <numerusform>Permanently delete %Ln image in the trash?</numerusform>
            <numerusform>Permanently delete %Ln images in the trash?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n image(s) from the trash</source>
        <translation>
            <numerusform>Deleted %n image from the trash</numerusform>
            <numerusform>Deleted %n images from the trash</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n image(s) to {path}</source>
        <translation>
            <numerusform>Exported %n image to {path}</numerusform>
            <numerusform>Exported %n images to {path}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Open this image set (%n image(s))</source>
        <translation>
            <numerusform>Open this image set (%n image)</numerusform>
            <numerusform>Open this image set (%n images)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>JobQueuePanel</name>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n running</numerusform>
            <numerusform>%n running</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n in other windows</source>
        <translation>
            <numerusform>%n in another window</numerusform>
            <numerusform>%n in other windows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n need attention</source>
        <translation>
            <numerusform>%n needs attention</numerusform>
            <numerusform>%n need attention</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LibraryMoveFlow</name>
    <message numerus="yes">
        <source>%n file(s), {size} in all, will be copied there ({free} free).</source>
        <translation>
            <numerusform>%n file, {size} in all, will be copied there ({free} free).</numerusform>
            <numerusform>%n files, {size} in all, will be copied there ({free} free).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n image(s): {prompt}</source>
        <translation>
            <numerusform>%n image: {prompt}</numerusform>
            <numerusform>%n images: {prompt}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NewBatchDialog</name>
    <message numerus="yes">
        <source>Using the %n image(s) selected in the gallery.</source>
        <translation>
            <numerusform>Using the %n image selected in the gallery.</numerusform>
            <numerusform>Using the %n images selected in the gallery.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) per job</source>
        <translation>
            <numerusform>%n image per job</numerusform>
            <numerusform>%n images per job</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n shared reference(s)</source>
        <translation>
            <numerusform>%n shared reference</numerusform>
            <numerusform>%n shared references</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>up to %n image(s)</source>
        <translation>
            <numerusform>up to %n image</numerusform>
            <numerusform>up to %n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s)</source>
        <translation>
            <numerusform>%n job</numerusform>
            <numerusform>%n jobs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PaletteEditor</name>
    <message numerus="yes">
        <source>The image has only %n distinct colours; a palette needs {count}. The palette was not changed.</source>
        <translation>
            <numerusform>The image has only %n distinct colour; a palette needs {count}. The palette was not changed.</numerusform>
            <numerusform>The image has only %n distinct colours; a palette needs {count}. The palette was not changed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n colours · total {total}%</source>
        <translation>
            <numerusform>%n colour · total {total}%</numerusform>
            <numerusform>%n colours · total {total}%</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ParametersPanel</name>
    <message numerus="yes">
        <source>%n reference images</source>
        <translation>
            <numerusform>%n reference image</numerusform>
            <numerusform>%n reference images</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PromptSection</name>
    <message numerus="yes">
        <source>The prompt mentions {names}, but only %n reference images are attached.</source>
        <translation>
            <numerusform>The prompt mentions {names}, but only %n reference image is attached.</numerusform>
            <numerusform>The prompt mentions {names}, but only %n reference images are attached.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReferenceStrip</name>
    <message numerus="yes">
        <source>Only {limit} reference images are allowed: %n images were not added.</source>
        <translation>
            <numerusform>Only {limit} reference images are allowed: %n image was not added.</numerusform>
            <numerusform>Only {limit} reference images are allowed: %n images were not added.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReferenceTiles</name>
    <message numerus="yes">
        <source>%n region boxes</source>
        <translation>
            <numerusform>%n region box</numerusform>
            <numerusform>%n region boxes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RemoteTasksDialog</name>
    <message numerus="yes">
        <source>%n task(s) are not in this library: select one and choose Fetch Selected.</source>
        <translation>
            <numerusform>%n task is not in this library: select it and choose Fetch Selected.</numerusform>
            <numerusform>%n tasks are not in this library: select one and choose Fetch Selected.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StagePanel</name>
    <message numerus="yes">
        <source>%n finished</source>
        <translation>
            <numerusform>%n finished</numerusform>
            <numerusform>%n finished</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message numerus="yes">
        <source>%n batch(es) from the last session are paused: Jobs ▸ Batches… to resume.</source>
        <translation>
            <numerusform>%n batch from the last session is paused: Jobs ▸ Batches… to resume.</numerusform>
            <numerusform>%n batches from the last session are paused: Jobs ▸ Batches… to resume.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resuming %n unfinished job(s) from the last session.</source>
        <translation>
            <numerusform>Resuming %n unfinished job from the last session.</numerusform>
            <numerusform>Resuming %n unfinished jobs from the last session.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resuming %n unfinished job(s).</source>
        <translation>
            <numerusform>Resuming %n unfinished job.</numerusform>
            <numerusform>Resuming %n unfinished jobs.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) are still running, some in a batch. Wait for them to finish, or cancel them in the job queue and the batch in its window (Jobs ▸ Batches…), then move the library.</source>
        <translation>
            <numerusform>%n job is still running, in a batch. Wait for it to finish, or cancel the batch in its window (Jobs ▸ Batches…), then move the library.</numerusform>
            <numerusform>%n jobs are still running, some in a batch. Wait for them to finish, or cancel them in the job queue and the batch in its window (Jobs ▸ Batches…), then move the library.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) are still running. Wait for them to finish, or cancel them in the job queue, then move the library.</source>
        <translation>
            <numerusform>%n job is still running. Wait for it to finish, or cancel it in the job queue, then move the library.</numerusform>
            <numerusform>%n jobs are still running. Wait for them to finish, or cancel them in the job queue, then move the library.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>_Counted</name>
    <message numerus="yes">
        <source>Done: %n image(s)</source>
        <translation>
            <numerusform>Done: %n image</numerusform>
            <numerusform>Done: %n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) running</source>
        <translation>
            <numerusform>%n job running</numerusform>
            <numerusform>%n jobs running</numerusform>
        </translation>
    </message>
</context>
</TS>
